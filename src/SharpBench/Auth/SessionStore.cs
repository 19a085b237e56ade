using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SharpBench.Data;
using SharpBench.Sites;
using StackExchange.Redis;

namespace SharpBench.Auth;

/// <summary>
/// Sessions: rows of <c>tabSessions</c>, mirrored in the site's <c>redis_cache</c> when one is
/// configured so a request's session costs one Redis read. Expiry is an idle timeout (System
/// Settings <c>session_expiry</c>, <c>HH:MM</c>); <c>lastupdate</c> is written at most every
/// ten minutes, as Frappe does, so the sliding window moves in ten-minute steps.
/// </summary>
public static class SessionStore
{
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan SettingsTtl = TimeSpan.FromSeconds(30);

    /// <summary>The live session of that sid on the site, or null (unknown, expired, or Guest).</summary>
    public static async Task<SessionInfo?> GetAsync(Site site, string sid, CancellationToken ct = default)
    {
        Database? own = null;
        try
        {
            return await GetCoreAsync(site, sid, async () => own ??= await site.OpenDatabaseAsync(ct), ct);
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
    }

    /// <summary>As <see cref="GetAsync(Site, string, CancellationToken)"/>, reading through the unit of work's connection when the cache misses.</summary>
    public static Task<SessionInfo?> GetAsync(FrappeContext context, string sid, CancellationToken ct = default) =>
        GetCoreAsync(context.Site, sid, () => context.DbAsync(ct), ct);

    private static async Task<SessionInfo?> GetCoreAsync(Site site, string sid, Func<Task<Database>> db, CancellationToken ct)
    {
        if (!LooksLikeSid(sid))
            return null;
        var expiry = await ExpiryAsync(site, db, ct);
        if (site.Host.Sessions.Local.Get(site.Name, sid) is { } local && IsAlive(local, expiry))
            return local;
        if (await FromCacheAsync(site, sid) is { } cached)
        {
            if (!IsAlive(cached, expiry))
                return null;
            site.Host.Sessions.Local.Put(site.Name, cached);
            return cached;
        }
        var conn = await db();
        var d = conn.Dialect;
        var rows = await conn.QueryAsync(
            $"SELECT {d.Quote("user")}, {d.Quote("sessiondata")}, {d.Quote("lastupdate")}, {d.Quote("ipaddress")} FROM {d.Quote("tabSessions")} WHERE {d.Quote("sid")} = @p0 AND {d.Quote("status")} = @p1",
            [sid, "Active"], ct);
        if (rows.Count == 0)
            return null;
        var row = rows[0];
        var session = new SessionInfo(sid, (string)row["user"]!, ParseData(row["sessiondata"] as string), ToDateTime(row["lastupdate"]), row["ipaddress"] as string);
        if (!IsAlive(session, expiry))
            return null;
        // Into Redis (when configured) and this process's cache.
        await ToCacheAsync(site, session, expiry);
        return session;
    }

    public static async Task<SessionInfo> CreateAsync(Database db, Site site, string user, JsonObject data, string? ip, CancellationToken ct = default)
    {
        var sid = Convert.ToHexString(RandomNumberGenerator.GetBytes(28)).ToLowerInvariant();
        var now = DbTime.Now();
        ip = ShortIp(ip);
        await Rows.InsertAsync(db, "tabSessions", new Dictionary<string, object?>
        {
            ["sid"] = sid,
            ["user"] = user,
            ["sessiondata"] = data.ToJsonString(),
            ["ipaddress"] = ip,
            ["lastupdate"] = now,
            ["status"] = "Active",
        }, ct);
        var session = new SessionInfo(sid, user, data, now, ip);
        await ToCacheAsync(site, session, await ExpiryAsync(site, () => Task.FromResult(db), ct));
        return session;
    }

    public static async Task DeleteAsync(Database db, Site site, string sid, CancellationToken ct = default)
    {
        var d = db.Dialect;
        await db.ExecuteAsync($"DELETE FROM {d.Quote("tabSessions")} WHERE {d.Quote("sid")} = @p0", [sid], ct);
        await RemoveFromCacheAsync(site, sid);
    }

    /// <summary>Ends every session of a user (password change, disabled user).</summary>
    public static async Task DeleteForUserAsync(Database db, Site site, string user, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var sids = await db.QueryAsync($"SELECT {d.Quote("sid")} FROM {d.Quote("tabSessions")} WHERE {d.Quote("user")} = @p0", [user], ct);
        await db.ExecuteAsync($"DELETE FROM {d.Quote("tabSessions")} WHERE {d.Quote("user")} = @p0", [user], ct);
        foreach (var row in sids)
            await RemoveFromCacheAsync(site, (string)row["sid"]!);
    }

    public static bool NeedsTouch(SessionInfo session) => DbTime.Now() - session.LastUpdate >= TouchInterval;

    /// <summary>Moves the idle window on when the last write is older than <see cref="TouchInterval"/>; returns whether it wrote.</summary>
    public static async Task<bool> TouchAsync(Database db, Site site, SessionInfo session, CancellationToken ct = default)
    {
        if (!NeedsTouch(session))
            return false;
        var now = DbTime.Now();
        var d = db.Dialect;
        await db.ExecuteAsync($"UPDATE {d.Quote("tabSessions")} SET {d.Quote("lastupdate")} = @p0 WHERE {d.Quote("sid")} = @p1", [now, session.Sid], ct);
        session.LastUpdate = now;
        await ToCacheAsync(site, session, await ExpiryAsync(site, () => Task.FromResult(db), ct));
        return true;
    }

    /// <summary>Stores changed session data (e.g. a new CSRF token).</summary>
    public static async Task SaveDataAsync(Database db, Site site, SessionInfo session, CancellationToken ct = default)
    {
        var d = db.Dialect;
        await db.ExecuteAsync($"UPDATE {d.Quote("tabSessions")} SET {d.Quote("sessiondata")} = @p0 WHERE {d.Quote("sid")} = @p1", [session.Data.ToJsonString(), session.Sid], ct);
        await ToCacheAsync(site, session, await ExpiryAsync(site, () => Task.FromResult(db), ct));
    }

    /// <summary>
    /// The idle timeout: System Settings <c>session_expiry</c>, else site config
    /// <c>session_expiry</c>, else 170:00 (the value new Frappe sites get).
    /// </summary>
    public static async Task<TimeSpan> ExpiryAsync(Site site, Func<Task<Database>> db, CancellationToken ct = default)
    {
        var clock = site.Host.Clock;
        var expiries = site.Host.Sessions.Expiries;
        if (expiries.TryGetValue(site.Name, out var c) && clock.GetUtcNow() - c.ReadAt < SettingsTtl)
            return c.Expiry;
        var text = await ReadSystemSettingAsync(await db(), "session_expiry", ct);
        text ??= site.Config.GetString("session_expiry");
        var expiry = ParseExpiry(text) ?? TimeSpan.FromHours(170);
        expiries[site.Name] = (expiry, clock.GetUtcNow());
        return expiry;
    }

    public static TimeSpan? ParseExpiry(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var parts = text.Trim().Split(':');
        if (parts.Length is < 2 or > 3 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            return null;
        var n = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var span = new TimeSpan(n[0], n[1], n.Length == 3 ? n[2] : 0);
        return span > TimeSpan.Zero ? span : null;
    }

    private static async Task<string?> ReadSystemSettingAsync(Database db, string field, CancellationToken ct)
    {
        try
        {
            return await Singles.GetAsync(db, "System Settings", field, ct);
        }
        catch (System.Data.Common.DbException)
        {
            return null;
        }
    }

    private static bool IsAlive(SessionInfo s, TimeSpan expiry) => DbTime.Now() - s.LastUpdate < expiry;

    /// <summary>Frappe's sids are 56 hex characters; anything else cannot name a session.</summary>
    public static bool LooksLikeSid(string? sid) =>
        sid is { Length: >= 16 and <= 128 } && sid.All(char.IsAsciiLetterOrDigit);

    private static string? ShortIp(string? ip)
    {
        if (ip is null)
            return null;
        if (ip.StartsWith("::ffff:", StringComparison.Ordinal))
            ip = ip[7..];
        return ip.Length > 16 ? ip[..16] : ip;
    }

    private static JsonObject ParseData(string? text)
    {
        try
        {
            return text is null ? [] : JsonNode.Parse(text) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static DateTime ToDateTime(object? value) => value switch
    {
        DateTime t => t,
        string s => DateTime.Parse(s, CultureInfo.InvariantCulture),
        _ => DateTime.MinValue,
    };

    private static string CacheKey(Site site, string sid) => $"{site.Config.GetString("db_name")}|session|{sid}";

    private static ValueTask<IDatabase?> CacheAsync(Site site) => RedisConnections.DatabaseAsync(site.Config.GetString("redis_cache"));

    private static async Task<SessionInfo?> FromCacheAsync(Site site, string sid)
    {
        var cache = await CacheAsync(site);
        if (cache is null)
            return null;
        try
        {
            await site.Host.Sessions.Local.ListenAsync(cache.Multiplexer);
            var value = await cache.StringGetAsync(CacheKey(site, sid));
            if (value.IsNullOrEmpty)
                return null;
            var o = JsonNode.Parse((string)value!) as JsonObject;
            if (o is null)
                return null;
            return new SessionInfo(sid, (string)o["user"]!, o["data"] as JsonObject ?? [], DateTime.Parse((string)o["lastupdate"]!, CultureInfo.InvariantCulture), (string?)o["ip"]);
        }
        catch (Exception e) when (e is RedisException or JsonException or FormatException or InvalidOperationException)
        {
            site.Host.Sessions.Log.LogWarning("Session cache read failed, using the database: {Error}", e.Message);
            return null;
        }
    }

    private static async Task ToCacheAsync(Site site, SessionInfo s, TimeSpan expiry)
    {
        site.Host.Sessions.Local.Put(site.Name, s);
        var cache = await CacheAsync(site);
        if (cache is null)
            return;
        var o = new JsonObject
        {
            ["user"] = s.User,
            ["data"] = s.Data.DeepClone(),
            ["lastupdate"] = DbTime.ToStorage(s.LastUpdate),
            ["ip"] = s.IpAddress,
        };
        try
        {
            await cache.StringSetAsync(CacheKey(site, s.Sid), o.ToJsonString(), expiry);
        }
        catch (RedisException e)
        {
            site.Host.Sessions.Log.LogWarning("Session cache write failed: {Error}", e.Message);
        }
    }

    private static async Task RemoveFromCacheAsync(Site site, string sid)
    {
        var cache = await CacheAsync(site);
        site.Host.Sessions.Local.Remove(site.Name, sid);
        if (cache is null)
            return;
        try
        {
            await cache.KeyDeleteAsync(CacheKey(site, sid));
            await site.Host.Sessions.Local.AnnounceEndedAsync(cache, site.Name, sid);
        }
        catch (RedisException e)
        {
            site.Host.Sessions.Log.LogWarning("Session cache delete failed: {Error}", e.Message);
        }
    }
}
