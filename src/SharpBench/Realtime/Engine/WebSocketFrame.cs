using System.Buffers.Binary;

namespace SharpBench.Realtime.Engine;

/// <summary>
/// A whole, unmasked server-to-client WebSocket frame (RFC 6455 §5.2). A broadcast builds it once
/// and every recipient writes the same bytes.
/// </summary>
internal static class WebSocketFrame
{
    private const byte Final = 0x80;
    private const byte TextOpcode = 0x1;
    private const byte BinaryOpcode = 0x2;

    public static byte[] Encode(ReadOnlySpan<byte> payload, bool binary)
    {
        var headerLength = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
        var frame = new byte[headerLength + payload.Length];
        frame[0] = (byte)(Final | (binary ? BinaryOpcode : TextOpcode));
        switch (headerLength)
        {
            case 2:
                frame[1] = (byte)payload.Length;
                break;
            case 4:
                frame[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
                break;
            default:
                frame[1] = 127;
                BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
                break;
        }
        payload.CopyTo(frame.AsSpan(headerLength));
        return frame;
    }
}
