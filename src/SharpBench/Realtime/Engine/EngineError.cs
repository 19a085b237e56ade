namespace SharpBench.Realtime.Engine;

/// <summary>The JSON bodies engine.io answers bad requests with (HTTP 400).</summary>
internal sealed record EngineError(int Code, string Message)
{
    public static readonly EngineError UnknownTransport = new(0, "Transport unknown");
    public static readonly EngineError UnknownSid = new(1, "Session ID unknown");
    public static readonly EngineError BadHandshakeMethod = new(2, "Bad handshake method");
    public static readonly EngineError BadRequest = new(3, "Bad request");
    public static readonly EngineError Forbidden = new(4, "Forbidden");
    public static readonly EngineError UnsupportedProtocol = new(5, "Unsupported protocol version");
}
