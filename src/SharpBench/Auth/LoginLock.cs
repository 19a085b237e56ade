using System.Collections.Concurrent;
using SharpBench.Sites;
using StackExchange.Redis;

namespace SharpBench.Auth;

/// <summary>
/// Frappe's failed-login lock (System Settings defaults: 10 attempts, 60 s), counted per user
/// and client address. Counters live in the site's <c>redis_cache</c> when configured, so every
/// web process sees them; otherwise in this process.
/// </summary>
public static class LoginLock
{
    public const int MaxAttempts = 10;
    public static readonly TimeSpan LockInterval = TimeSpan.FromSeconds(60);

    private sealed class Counter
    {
        public int Failures;
        public DateTime Expires;
    }

    private static readonly ConcurrentDictionary<string, Counter> Local = new(StringComparer.Ordinal);

    private static string Key(Site site, string user, string? ip) =>
        $"{site.Config.GetString("db_name")}|login_failed|{user.ToLowerInvariant()}|{ip}";

    /// <summary>Seconds left on the lock, or null when the user may try.</summary>
    public static async Task<int?> LockedForAsync(Site site, string user, string? ip)
    {
        var key = Key(site, user, ip);
        var redis = RedisConnections.Database(site.Config.GetString("redis_cache"));
        if (redis is not null)
        {
            try
            {
                var count = await redis.StringGetAsync(key);
                if (count.HasValue && (int)count >= MaxAttempts)
                {
                    var ttl = await redis.KeyTimeToLiveAsync(key);
                    return Math.Max(1, (int)Math.Ceiling((ttl ?? LockInterval).TotalSeconds));
                }
                return null;
            }
            catch (RedisException)
            {
                // fall through to the local counter
            }
        }
        if (Local.TryGetValue(key, out var c))
        {
            lock (c)
            {
                var left = c.Expires - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    Local.TryRemove(key, out _);
                    return null;
                }
                if (c.Failures >= MaxAttempts)
                    return Math.Max(1, (int)Math.Ceiling(left.TotalSeconds));
            }
        }
        return null;
    }

    public static async Task FailedAsync(Site site, string user, string? ip)
    {
        var key = Key(site, user, ip);
        var redis = RedisConnections.Database(site.Config.GetString("redis_cache"));
        if (redis is not null)
        {
            try
            {
                var n = await redis.StringIncrementAsync(key);
                // The window starts at the first failure; the lock runs its full interval from the last one.
                if (n == 1 || n >= MaxAttempts)
                    await redis.KeyExpireAsync(key, LockInterval);
                return;
            }
            catch (RedisException)
            {
                // fall through to the local counter
            }
        }
        var c = Local.GetOrAdd(key, _ => new Counter { Expires = DateTime.UtcNow + LockInterval });
        lock (c)
        {
            if (c.Expires <= DateTime.UtcNow)
            {
                c.Failures = 0;
                c.Expires = DateTime.UtcNow + LockInterval;
            }
            c.Failures++;
            if (c.Failures >= MaxAttempts)
                c.Expires = DateTime.UtcNow + LockInterval;
        }
    }

    public static async Task ResetAsync(Site site, string user, string? ip)
    {
        var key = Key(site, user, ip);
        Local.TryRemove(key, out _);
        var redis = RedisConnections.Database(site.Config.GetString("redis_cache"));
        if (redis is not null)
        {
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
