using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBench.Realtime.Sockets;

internal enum SocketPacketType
{
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
}

/// <summary>A decoded Socket.IO v5 packet (the text after Engine.IO's <c>4</c>).</summary>
internal sealed class SocketPacket
{
    /// <summary>More attachments than any real client sends; a bigger count is treated as hostile.</summary>
    public const int MaxAttachments = 64;

    public SocketPacketType Type { get; init; }
    public string Namespace { get; init; } = "/";
    public int? AckId { get; init; }
    public JsonNode? Data { get; init; }
    public int AttachmentCount { get; init; }
    public List<byte[]> Attachments { get; } = [];

    public bool IsComplete => Attachments.Count >= AttachmentCount;

    /// <summary>Parses and validates a packet as socket.io-parser 4.2 does; null when malformed.</summary>
    public static SocketPacket? TryDecode(string text)
    {
        if (text.Length == 0 || text[0] < '0' || text[0] > '6')
            return null;
        var type = (SocketPacketType)(text[0] - '0');
        var i = 1;
        var attachments = 0;
        if (type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck)
        {
            var dash = text.IndexOf('-', i);
            if (dash < 0 || !int.TryParse(text.AsSpan(i, dash - i), NumberStyles.None, CultureInfo.InvariantCulture, out attachments)
                || attachments > MaxAttachments)
                return null;
            i = dash + 1;
        }
        var nsp = "/";
        if (i < text.Length && text[i] == '/')
        {
            var comma = text.IndexOf(',', i);
            var end = comma < 0 ? text.Length : comma;
            nsp = text[i..end];
            i = comma < 0 ? text.Length : comma + 1;
        }
        int? ackId = null;
        var digits = i;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
            digits++;
        if (digits > i)
        {
            if (!int.TryParse(text.AsSpan(i, digits - i), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return null;
            ackId = id;
            i = digits;
        }
        JsonNode? data = null;
        if (i < text.Length)
        {
            try
            {
                data = JsonNode.Parse(text.AsSpan(i).ToString());
            }
            catch (JsonException)
            {
                return null;
            }
            if (data is null)
                return null;
        }
        var packet = new SocketPacket { Type = type, Namespace = nsp, AckId = ackId, Data = data, AttachmentCount = attachments };
        return packet.IsValid() ? packet : null;
    }

    private bool IsValid() => Type switch
    {
        SocketPacketType.Connect => Data is null or JsonObject,
        SocketPacketType.Disconnect => Data is null,
        SocketPacketType.ConnectError => Data is JsonObject or JsonValue,
        SocketPacketType.Event or SocketPacketType.BinaryEvent =>
            Data is JsonArray { Count: > 0 } a && a[0] is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number,
        SocketPacketType.Ack or SocketPacketType.BinaryAck => AckId is not null && Data is JsonArray,
        _ => false,
    };

    /// <summary>Encodes a packet; <paramref name="json"/> is the payload already serialised (or null).</summary>
    public static string Encode(SocketPacketType type, string nsp, int? ackId, string? json, int attachments = 0)
    {
        var sb = new StringBuilder(16 + nsp.Length + (json?.Length ?? 0));
        sb.Append((char)('0' + (int)type));
        if (attachments > 0)
        {
            sb.Append(attachments.ToString(CultureInfo.InvariantCulture)).Append('-');
            if (type == SocketPacketType.Event)
                sb[0] = '5';
            else if (type == SocketPacketType.Ack)
                sb[0] = '6';
        }
        if (nsp != "/")
            sb.Append(nsp).Append(',');
        if (ackId is { } id)
            sb.Append(id.ToString(CultureInfo.InvariantCulture));
        sb.Append(json);
        return sb.ToString();
    }
}
