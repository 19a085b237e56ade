using System.Security.Cryptography;

namespace SharpBench.Files;

/// <summary>
/// Frappe's <c>content_hash</c>: the MD5 of a file's bytes in lower-case hex. It identifies
/// content for de-duplication only (never security), and stays MD5 so records written by Frappe
/// and by SharpBench match.
/// </summary>
public static class ContentHash
{
#pragma warning disable CA5351 // MD5 is Frappe's content_hash format, not a security boundary.
    public static IncrementalHash Incremental() => IncrementalHash.CreateHash(HashAlgorithmName.MD5);

    public static string Of(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(MD5.HashData(content));

    public static async Task<string> OfAsync(Stream stream, CancellationToken ct = default) => Convert.ToHexStringLower(await MD5.HashDataAsync(stream, ct));
#pragma warning restore CA5351
}
