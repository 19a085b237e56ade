using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SharpBench.Realtime.Engine;

/// <summary>
/// Engine and socket ids shaped like engine.io's: 15 bytes (11 random, then a 4-byte counter)
/// as 20 characters of URL-safe base64. Clients treat them as opaque.
/// </summary>
internal static class SessionIds
{
    // Process-wide on purpose: ids only need to be unique, and one counter per process keeps them so across hosts.
    private static int _sequence;

    public static string Next()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes[..11]);
        BinaryPrimitives.WriteInt32BigEndian(bytes[11..], Interlocked.Increment(ref _sequence));
        return Convert.ToBase64String(bytes).Replace('/', '_').Replace('+', '-');
    }
}
