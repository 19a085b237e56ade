using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SharpBench.Model;

/// <summary>
/// Fernet tokens (AES-128-CBC + HMAC-SHA256, URL-safe base64), the format of Frappe's
/// <c>encrypt()</c> with the site's <c>encryption_key</c>: a site moved between Frappe and
/// SharpBench keeps readable secrets.
/// </summary>
public static class Fernet
{
    private static (byte[] Sign, byte[] Encrypt) Keys(string key)
    {
        var raw = FromBase64Url(key.Trim());
        if (raw.Length != 32)
            throw new ArgumentException("A Fernet key is 32 bytes of URL-safe base64.");
        return (raw[..16], raw[16..]);
    }

    public static string Encrypt(string key, string plain)
    {
        var (sign, enc) = Keys(key);
        using var aes = Aes.Create();
        aes.Key = enc;
        var iv = RandomNumberGenerator.GetBytes(16);
        var cipher = aes.EncryptCbc(System.Text.Encoding.UTF8.GetBytes(plain), iv, PaddingMode.PKCS7);
        var token = new byte[1 + 8 + 16 + cipher.Length + 32];
        token[0] = 0x80;
        BinaryPrimitives.WriteInt64BigEndian(token.AsSpan(1, 8), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        iv.CopyTo(token, 9);
        cipher.CopyTo(token, 25);
        var mac = HMACSHA256.HashData(sign, token.AsSpan(0, token.Length - 32));
        mac.CopyTo(token, token.Length - 32);
        return ToBase64Url(token);
    }

    /// <summary>The plain text, or null when the token was not made with this key or was altered.</summary>
    public static string? Decrypt(string key, string token)
    {
        var (sign, enc) = Keys(key);
        byte[] raw;
        try
        {
            raw = FromBase64Url(token.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
        if (raw.Length < 1 + 8 + 16 + 16 + 32 || raw[0] != 0x80)
            return null;
        var mac = HMACSHA256.HashData(sign, raw.AsSpan(0, raw.Length - 32));
        if (!CryptographicOperations.FixedTimeEquals(mac, raw.AsSpan(raw.Length - 32)))
            return null;
        using var aes = Aes.Create();
        aes.Key = enc;
        try
        {
            var plain = aes.DecryptCbc(raw.AsSpan(25, raw.Length - 25 - 32), raw.AsSpan(9, 16), PaddingMode.PKCS7);
            return System.Text.Encoding.UTF8.GetString(plain);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=');
        return Convert.FromBase64String(s);
    }
}
