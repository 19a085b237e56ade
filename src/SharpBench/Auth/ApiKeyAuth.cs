using System.Security.Cryptography;
using System.Text;
using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench.Auth;

/// <summary>
/// API keys (frappe/auth.py, validate_api_key_secret): <c>api_key</c> on the User row, <c>api_secret</c> a Password field
/// kept Fernet-encrypted in <c>__Auth</c> with the site's <c>encryption_key</c>.
/// </summary>
public static class ApiKeyAuth
{
    /// <summary>The enabled user owning that key whose secret matches, else null.</summary>
    public static async Task<string?> FindUserAsync(Database db, Site site, string apiKey, string apiSecret, CancellationToken ct = default)
    {
        if (apiKey.Length == 0 || apiSecret.Length == 0)
            return null;
        var d = db.Dialect;
        var user = await db.ScalarAsync(
            $"SELECT {d.Quote("name")} FROM {d.Quote("tabUser")} WHERE {d.Quote("api_key")} = @p0 AND {d.Quote("enabled")} = 1",
            [apiKey], ct) as string;
        if (user is null)
            return null;
        var stored = await GetSecretAsync(db, site, user, ct);
        if (stored is null)
            return null;
        var a = Encoding.UTF8.GetBytes(stored);
        var b = Encoding.UTF8.GetBytes(apiSecret);
        return a.Length == b.Length && CryptographicOperations.FixedTimeEquals(a, b) ? user : null;
    }

    /// <summary><c>generate_keys</c>: keeps an existing api_key, issues a new secret, returns the secret (shown once).</summary>
    public static async Task<(string ApiKey, string ApiSecret)> GenerateAsync(Database db, Site site, string user, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var key = await db.ScalarAsync($"SELECT {d.Quote("api_key")} FROM {d.Quote("tabUser")} WHERE {d.Quote("name")} = @p0", [user], ct) as string;
        var now = DbTime.Now();
        if (string.IsNullOrEmpty(key))
        {
            key = RandomToken(15);
            await db.ExecuteAsync($"UPDATE {d.Quote("tabUser")} SET {d.Quote("api_key")} = @p0, {d.Quote("modified")} = @p1 WHERE {d.Quote("name")} = @p2", [key, now, user], ct);
        }
        var secret = RandomToken(15);
        await SetSecretAsync(db, site, user, secret, ct);
        await db.ExecuteAsync($"UPDATE {d.Quote("tabUser")} SET {d.Quote("api_secret")} = @p0 WHERE {d.Quote("name")} = @p1", [new string('*', secret.Length), user], ct);
        return (key, secret);
    }

    public static async Task<string?> GetSecretAsync(Database db, Site site, string user, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var rows = await db.QueryAsync(
            $"SELECT {d.Quote("password")}, {d.Quote("encrypted")} FROM {d.Quote("__Auth")} WHERE {d.Quote("doctype")} = @p0 AND {d.Quote("name")} = @p1 AND {d.Quote("fieldname")} = @p2",
            ["User", user, "api_secret"], ct);
        if (rows.Count == 0 || rows[0]["password"] is not string stored)
            return null;
        var key = site.Config.GetString("encryption_key");
        return key is null ? null : Fernet.Decrypt(key, stored);
    }

    public static async Task SetSecretAsync(Database db, Site site, string user, string secret, CancellationToken ct = default)
    {
        var key = site.Config.GetString("encryption_key")
            ?? throw new ValidationError("This site has no encryption_key in its site_config.json; add one to store secrets.");
        await AuthTable.ReplaceAsync(db, "User", user, "api_secret", Fernet.Encrypt(key, secret), encrypted: true, ct);
    }

    private static string RandomToken(int length) =>
        RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", length);
}
