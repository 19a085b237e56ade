using System.Text.Json.Nodes;

namespace SharpBench.Realtime.Sockets;

/// <summary>An event a client emitted: its arguments, binary attachments, and the ack callback when it asked for one.</summary>
internal sealed class SocketEvent(Socket socket, string name, JsonArray args, IReadOnlyList<byte[]> attachments, int? ackId)
{
    public Socket Socket { get; } = socket;
    public string Name { get; } = name;

    /// <summary>The arguments after the event name.</summary>
    public JsonArray Args { get; } = args;

    public IReadOnlyList<byte[]> Attachments { get; } = attachments;

    public bool WantsAck => ackId is not null;

    /// <summary>Argument <paramref name="index"/> as a string, or null when absent or not a string.</summary>
    public string? String(int index) =>
        index < Args.Count && Args[index] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Answers the client's ack (once); does nothing when no ack was asked for.</summary>
    public void Ack(params object?[] values)
    {
        if (ackId is { } id)
        {
            ackId = null;
            Socket.SendAck(id, values);
        }
    }
}
