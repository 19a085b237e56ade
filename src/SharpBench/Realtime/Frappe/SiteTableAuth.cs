using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench.Realtime.Frappe;

/// <summary>
/// Sessions and API keys read straight from the site's tables: <c>tabSessions</c> (sid, user,
/// status, lastupdate, sessiondata), <c>tabUser</c> (api_key, user_type, enabled) and the
/// api_secret in <c>__Auth</c> (Fernet-encrypted with the site's encryption_key, as Frappe keeps it).
/// </summary>
public sealed class SiteTableAuth : IRealtimeAuth
{
    /// <summary>Frappe's default <c>session_expiry</c> ("240:00", hours:minutes since the last request).</summary>
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromHours(240);

    private static readonly PasswordHasher<string> Hasher = new();

    public async Task<RealtimeUser> AuthenticateAsync(Site site, string? sid, string? authorization, CancellationToken ct = default)
    {
        await using var db = await site.OpenDatabaseAsync(ct);
        if (!string.IsNullOrEmpty(sid))
            return await FromSessionAsync(db, site, sid, ct);
        return await FromAuthorizationAsync(db, site, authorization ?? "", ct);
    }

    private static async Task<RealtimeUser> FromSessionAsync(Database db, Site site, string sid, CancellationToken ct)
    {
        if (sid == "Guest" || sid.Length > 255)
            return RealtimeUser.Guest;
        var d = db.Dialect;
        var rows = await db.QueryAsync(
            $"SELECT {d.Quote("user")}, {d.Quote("status")}, {d.Quote("lastupdate")}, {d.Quote("sessiondata")} FROM {d.Quote("tabSessions")} WHERE {d.Quote("sid")} = @p0",
            [sid], ct);
        if (rows.Count == 0)
            return RealtimeUser.Guest;
        var row = rows[0];
        var user = row["user"] as string;
        if (string.IsNullOrEmpty(user) || user == "Guest" || (row["status"] as string ?? "Active") != "Active")
            return RealtimeUser.Guest;
        if (LastUpdate(row["lastupdate"]) is { } last && last + Expiry(site) < DateTime.Now)
            return RealtimeUser.Guest;
        var (enabled, userType) = await UserAsync(db, user, ct);
        if (!enabled)
            return RealtimeUser.Guest;
        if (row["sessiondata"] is string data && TryUserType(data) is { } fromSession)
            userType = fromSession;
        return new RealtimeUser(user, userType);
    }

    private static async Task<RealtimeUser> FromAuthorizationAsync(Database db, Site site, string authorization, CancellationToken ct)
    {
        var space = authorization.IndexOf(' ');
        var scheme = space < 0 ? authorization : authorization[..space];
        var value = space < 0 ? "" : authorization[(space + 1)..].Trim();
        string pair;
        if (scheme.Equals("token", StringComparison.OrdinalIgnoreCase))
            pair = value;
        else if (scheme.Equals("basic", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                pair = Encoding.UTF8.GetString(Convert.FromBase64String(value));
            }
            catch (FormatException)
            {
                throw new RealtimeAuthException("Invalid authorization header");
            }
        }
        else
            throw new RealtimeAuthException("Unsupported authorization scheme");
        var colon = pair.IndexOf(':');
        if (colon <= 0)
            throw new RealtimeAuthException("Invalid token");
        var (key, secret) = (pair[..colon], pair[(colon + 1)..]);
        var d = db.Dialect;
        var users = await db.QueryAsync(
            $"SELECT {d.Quote("name")}, {d.Quote("enabled")} FROM {d.Quote("tabUser")} WHERE {d.Quote("api_key")} = @p0",
            [key], ct);
        if (users.Count != 1 || users[0]["name"] is not string user || Convert.ToInt32(users[0]["enabled"] ?? 0, CultureInfo.InvariantCulture) != 1)
            throw new RealtimeAuthException("Invalid API key");
        var stored = await db.QueryAsync(
            $"SELECT {d.Quote("password")}, {d.Quote("encrypted")} FROM {d.Quote("__Auth")} WHERE {d.Quote("doctype")} = @p0 AND {d.Quote("name")} = @p1 AND {d.Quote("fieldname")} = @p2",
            ["User", user, "api_secret"], ct);
        if (stored.Count == 0 || stored[0]["password"] is not string saved || !SecretMatches(site, saved, Convert.ToInt32(stored[0]["encrypted"] ?? 0, CultureInfo.InvariantCulture) == 1, user, secret))
            throw new RealtimeAuthException("Invalid API secret");
        // Frappe clears session data for token requests: no user_type, so never the "all" room.
        return new RealtimeUser(user, null);
    }

    private static bool SecretMatches(Site site, string saved, bool encrypted, string user, string secret)
    {
        if (encrypted)
        {
            var key = site.Config.GetString("encryption_key");
            var plain = key is null ? null : Fernet.Decrypt(key, saved);
            return plain is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(plain), Encoding.UTF8.GetBytes(secret));
        }
        try
        {
            return Hasher.VerifyHashedPassword(user, saved, secret) != PasswordVerificationResult.Failed;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static async Task<(bool Enabled, string? UserType)> UserAsync(Database db, string user, CancellationToken ct)
    {
        var d = db.Dialect;
        var rows = await db.QueryAsync(
            $"SELECT {d.Quote("enabled")}, {d.Quote("user_type")} FROM {d.Quote("tabUser")} WHERE {d.Quote("name")} = @p0", [user], ct);
        if (rows.Count == 0)
            return (false, null);
        return (Convert.ToInt32(rows[0]["enabled"] ?? 0, CultureInfo.InvariantCulture) == 1, rows[0]["user_type"] as string);
    }

    private static string? TryUserType(string sessionData)
    {
        try
        {
            return JsonNode.Parse(sessionData) is JsonObject o && o["user_type"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static DateTime? LastUpdate(object? value) => value switch
    {
        DateTime t => t,
        string s when DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) => t,
        _ => null,
    };

    private static TimeSpan Expiry(Site site)
    {
        var text = site.Config.GetString("session_expiry");
        if (text is null)
            return DefaultExpiry;
        var parts = text.Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var h) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var m)
            ? new TimeSpan(h, m, 0)
            : DefaultExpiry;
    }
}
