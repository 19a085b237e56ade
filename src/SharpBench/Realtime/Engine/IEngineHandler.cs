namespace SharpBench.Realtime.Engine;

/// <summary>What sits on top of Engine.IO (the Socket.IO layer). Calls for one session never overlap.</summary>
internal interface IEngineHandler
{
    void OnOpen(EngineSession session);

    /// <summary>A message packet's text (after the <c>4</c>).</summary>
    Task OnMessageAsync(EngineSession session, string text);

    Task OnBinaryAsync(EngineSession session, byte[] data);

    void OnClose(EngineSession session, string reason);
}

internal enum EngineTransport
{
    Polling,
    WebSocket,
}
