using System.Security.Cryptography;

namespace SharpBench.Sites;

/// <summary>Random values written into a site's config.</summary>
public static class Secrets
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Password(int length = 16) => RandomNumberGenerator.GetString(Alphanumeric, length);

    /// <summary>A Fernet key (32 random bytes, URL-safe base64), the format Frappe's <c>encryption_key</c> has.</summary>
    public static string FernetKey() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_');

    /// <summary>Frappe's database name for a site: <c>_</c> and 16 hex digits of a SHA-1 of the name.</summary>
#pragma warning disable CA5350 // a name digest, not security: SHA-1 is what Frappe uses here
    public static string DbName(string site) =>
        "_" + Convert.ToHexString(SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(site)))[..16].ToLowerInvariant();
}
