using System.Collections.Concurrent;
using System.Globalization;
using SharpBench.Data;
using SharpBench.Scheduling;
using SharpBench.Sites;
using StackExchange.Redis;

namespace SharpBench.Auth;

/// <summary>
/// Frappe's failed-login lock (<c>LoginAttemptTracker</c>): two counters, one per user (by user
/// name, whichever address the attempts come from) and one per client address (whichever users
/// they name), each locking for System Settings <c>allow_login_after_fail</c> seconds (60) once
/// <c>allow_consecutive_login_attempts</c> (10) failures were counted; 0 attempts turns the lock
/// off. A success resets both. Counters live in the site's <c>redis_cache</c> when configured,
/// so every web process sees them; otherwise in this process.
/// </summary>
public static class LoginLock
{
    public const int DefaultAttempts = 10;
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(60);

    /// <summary>How many failures lock, and for how long; <c>MaxAttempts</c> 0 means no lock.</summary>
    public sealed record Settings(int MaxAttempts, TimeSpan Interval);

    /// <summary>Failure counters of this host, used while the site has no reachable <c>redis_cache</c>.</summary>
    public sealed class Counters
    {
        internal readonly ConcurrentDictionary<string, Counter> Local = new(StringComparer.Ordinal);
    }

    internal sealed class Counter
    {
        public int Failures;
        public DateTimeOffset Expires;
    }

    public static async Task<Settings> SettingsAsync(Database db, CancellationToken ct)
    {
        var attempts = Whole(await SystemSettings.GetAsync(db, "allow_consecutive_login_attempts", ct)) ?? DefaultAttempts;
        var seconds = Whole(await SystemSettings.GetAsync(db, "allow_login_after_fail", ct)) ?? (int)DefaultInterval.TotalSeconds;
        return new Settings(Math.Max(0, attempts), TimeSpan.FromSeconds(Math.Max(1, seconds)));
    }

    private static int? Whole(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= int.MaxValue ? (int)d : null;

    /// <summary>The counter of one user, by name: no change of address resets it.</summary>
    public static string UserKey(Site site, string user) => $"{site.Config.GetString("db_name")}|login_failed|user|{user.ToLowerInvariant()}";

    /// <summary>The counter of one client address, across user names.</summary>
    public static string? AddressKey(Site site, string? ip) => ip is null ? null : $"{site.Config.GetString("db_name")}|login_failed|ip|{ip}";

    /// <summary>Seconds left on the longest lock among <paramref name="keys"/>, or null when none is locked.</summary>
    public static async Task<int?> LockedForAsync(Site site, Settings settings, params string?[] keys)
    {
        if (settings.MaxAttempts == 0)
            return null;
        int? longest = null;
        foreach (var key in keys)
            if (key is not null && await LockedForAsync(site, settings, key) is { } left)
                longest = Math.Max(longest ?? 0, left);
        return longest;
    }

    private static async Task<int?> LockedForAsync(Site site, Settings settings, string key)
    {
        var redis = await RedisConnections.DatabaseAsync(site.Config.GetString("redis_cache"));
        if (redis is not null)
        {
            try
            {
                var count = await redis.StringGetAsync(key);
                if (count.HasValue && (int)count >= settings.MaxAttempts)
                {
                    var ttl = await redis.KeyTimeToLiveAsync(key);
                    return Math.Max(1, (int)Math.Ceiling((ttl ?? settings.Interval).TotalSeconds));
                }
                return null;
            }
            catch (RedisException)
            {
                // fall through to the local counter
            }
        }
        var local = site.Host.LoginCounters.Local;
        if (local.TryGetValue(key, out var c))
        {
            lock (c)
            {
                var left = c.Expires - site.Host.Clock.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    local.TryRemove(key, out _);
                    return null;
                }
                if (c.Failures >= settings.MaxAttempts)
                    return Math.Max(1, (int)Math.Ceiling(left.TotalSeconds));
            }
        }
        return null;
    }

    public static async Task FailedAsync(Site site, Settings settings, params string?[] keys)
    {
        if (settings.MaxAttempts == 0)
            return;
        foreach (var key in keys)
            if (key is not null)
                await FailedAsync(site, settings, key);
    }

    private static async Task FailedAsync(Site site, Settings settings, string key)
    {
        var redis = await RedisConnections.DatabaseAsync(site.Config.GetString("redis_cache"));
        if (redis is not null)
        {
            try
            {
                var n = await redis.StringIncrementAsync(key);
                // The window starts at the first failure; the lock runs its full interval from the last one.
                if (n == 1 || n >= settings.MaxAttempts)
                    await redis.KeyExpireAsync(key, settings.Interval);
                return;
            }
            catch (RedisException)
            {
                // fall through to the local counter
            }
        }
        var clock = site.Host.Clock;
        var c = site.Host.LoginCounters.Local.GetOrAdd(key, _ => new Counter { Expires = clock.GetUtcNow() + settings.Interval });
        lock (c)
        {
            if (c.Expires <= clock.GetUtcNow())
            {
                c.Failures = 0;
                c.Expires = clock.GetUtcNow() + settings.Interval;
            }
            c.Failures++;
            if (c.Failures >= settings.MaxAttempts)
                c.Expires = clock.GetUtcNow() + settings.Interval;
        }
    }

    public static async Task ResetAsync(Site site, params string?[] keys)
    {
        var redis = await RedisConnections.DatabaseAsync(site.Config.GetString("redis_cache"));
        foreach (var key in keys)
        {
            if (key is null)
                continue;
            site.Host.LoginCounters.Local.TryRemove(key, out _);
            if (redis is null)
                continue;
            try
            {
                await redis.KeyDeleteAsync(key);
            }
            catch (RedisException)
            {
                // the counter expires on its own
            }
        }
    }
}
