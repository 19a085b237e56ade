using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SharpBench.Data;

/// <summary>
/// Fernet tokens (AES-128-CBC + HMAC-SHA256), the format Frappe encrypts Password fields with
/// using the site's <c>encryption_key</c>, so secrets move between Frappe and us unchanged.
/// </summary>
public static class Fernet
{
    public static string Encrypt(string key, string plain)
    {
        var (signing, encryption) = SplitKey(key);
        var iv = RandomNumberGenerator.GetBytes(16);
        using var aes = Aes.Create();
        aes.Key = encryption;
        var cipher = aes.EncryptCbc(Encoding.UTF8.GetBytes(plain), iv, PaddingMode.PKCS7);
        var token = new byte[1 + 8 + 16 + cipher.Length + 32];
        token[0] = 0x80;
        BinaryPrimitives.WriteInt64BigEndian(token.AsSpan(1, 8), TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        iv.CopyTo(token, 9);
        cipher.CopyTo(token, 25);
        HMACSHA256.HashData(signing, token.AsSpan(0, token.Length - 32), token.AsSpan(token.Length - 32));
        return Convert.ToBase64String(token).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The plain text, or null when the token is not valid for this key.</summary>
    public static string? Decrypt(string key, string token)
    {
        var (signing, encryption) = SplitKey(key);
        byte[] data;
        try
        {
            data = Convert.FromBase64String(Pad(token.Trim().Replace('-', '+').Replace('_', '/')));
        }
        catch (FormatException)
        {
            return null;
        }
        if (data.Length < 1 + 8 + 16 + 16 + 32 || data[0] != 0x80 || (data.Length - 57) % 16 != 0)
            return null;
        var mac = HMACSHA256.HashData(signing, data.AsSpan(0, data.Length - 32));
        if (!CryptographicOperations.FixedTimeEquals(mac, data.AsSpan(data.Length - 32)))
            return null;
        using var aes = Aes.Create();
        aes.Key = encryption;
        try
        {
            var plain = aes.DecryptCbc(data.AsSpan(25, data.Length - 57), data.AsSpan(9, 16), PaddingMode.PKCS7);
            return Encoding.UTF8.GetString(plain);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static (byte[] Signing, byte[] Encryption) SplitKey(string key)
    {
        var raw = Convert.FromBase64String(Pad(key.Trim().Replace('-', '+').Replace('_', '/')));
        if (raw.Length != 32)
            throw new CryptographicException("encryption_key must be 32 bytes of URL-safe base64 (a Fernet key)");
        return (raw[..16], raw[16..]);
    }

    private static string Pad(string b64) => (b64.Length % 4) switch
    {
        2 => b64 + "==",
        3 => b64 + "=",
        _ => b64,
    };
}
