using System.Text;

namespace SharpBench.Realtime.Engine;

/// <summary>
/// One Engine.IO packet on its way out: text (type char + data) or a binary message. One
/// instance is shared by every recipient of a broadcast, so it is encoded once.
/// </summary>
internal sealed class OutPacket
{
    private byte[]? _utf8;
    private byte[]? _frame;

    private OutPacket(string? text, byte[]? binary)
    {
        Text = text;
        Binary = binary;
    }

    public string? Text { get; }
    public byte[]? Binary { get; }

    public static readonly OutPacket Ping = new("2", null);
    public static readonly OutPacket Noop = new("6", null);
    public static readonly OutPacket Close = new("1", null);
    public static readonly OutPacket Probe = new("3probe", null);

    public static OutPacket Message(string text) => new("4" + text, null);

    public static OutPacket Raw(string text) => new(text, null);

    public static OutPacket BinaryMessage(byte[] data) => new(null, data);

    public byte[] Utf8 => _utf8 ??= Encoding.UTF8.GetBytes(Text!);

    /// <summary>The packet as one WebSocket frame, header included.</summary>
    public byte[] Frame => _frame ??= Binary is not null ? WebSocketFrame.Encode(Binary, binary: true) : WebSocketFrame.Encode(Utf8, binary: false);

    /// <summary>The packet as it goes into a polling payload (binary becomes <c>b</c> + base64).</summary>
    public string ForPolling => Text ?? "b" + Convert.ToBase64String(Binary!);
}
