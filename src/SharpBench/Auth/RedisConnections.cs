using System.Collections.Concurrent;
using StackExchange.Redis;

namespace SharpBench.Auth;

/// <summary>
/// One multiplexer per Redis URL (<c>redis://[:password@]host:port[/db]</c>, as in
/// common_site_config.json), opened on first use and shared by every site using that URL.
/// Process-wide on purpose: a multiplexer is meant to be shared, and two hosts talking to one
/// Redis gain nothing from two sets of sockets.
/// </summary>
public static class RedisConnections
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<ConnectionMultiplexer>>> Pool = new(StringComparer.Ordinal);

    /// <summary>The cache database of that URL, or null when no URL is configured; connects without blocking a thread.</summary>
    public static async ValueTask<IDatabase?> DatabaseAsync(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
            return null;
        var lazy = Pool.GetOrAdd(url, u => new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(Options(u))));
        try
        {
            return (await lazy.Value).GetDatabase();
        }
        catch
        {
            // A connect that failed outright is tried again by the next caller.
            Pool.TryRemove(new KeyValuePair<string, Lazy<Task<ConnectionMultiplexer>>>(url, lazy));
            throw;
        }
    }

    public static ConfigurationOptions Options(string url)
    {
        // Sessions must not stall a request for long when the cache is down: short timeouts.
        var options = Data.RedisUrl.Parse(url, "redis_cache");
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        return options;
    }
}
