using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SharpBench.Realtime.Frappe;

/// <summary>Fernet decryption (the format of Frappe's encrypted password fields, keyed by the site's encryption_key).</summary>
internal static class Fernet
{
    public static string? Decrypt(string key, string token)
    {
        try
        {
            var k = FromUrlBase64(key);
            var t = FromUrlBase64(token);
            if (k.Length != 32 || t.Length < 1 + 8 + 16 + 16 + 32 || t[0] != 0x80)
                return null;
            var signed = t.AsSpan(0, t.Length - 32);
            var mac = HMACSHA256.HashData(k.AsSpan(0, 16), signed);
            if (!CryptographicOperations.FixedTimeEquals(mac, t.AsSpan(t.Length - 32)))
                return null;
            _ = BinaryPrimitives.ReadUInt64BigEndian(t.AsSpan(1, 8));
            using var aes = Aes.Create();
            aes.Key = k[16..];
            var plain = aes.DecryptCbc(t.AsSpan(25, t.Length - 25 - 32), t.AsSpan(9, 16), PaddingMode.PKCS7);
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }

    private static byte[] FromUrlBase64(string s)
    {
        s = s.Trim().Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
