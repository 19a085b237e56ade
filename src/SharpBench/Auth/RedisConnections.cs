using System.Collections.Concurrent;
using StackExchange.Redis;

namespace SharpBench.Auth;

/// <summary>
/// One multiplexer per Redis URL (<c>redis://[:password@]host:port[/db]</c>, as in
/// common_site_config.json), opened on first use and shared by every site using that URL.
/// </summary>
public static class RedisConnections
{
    private static readonly ConcurrentDictionary<string, Lazy<ConnectionMultiplexer>> Pool = new(StringComparer.Ordinal);

    public static IDatabase? Database(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
            return null;
        var mux = Pool.GetOrAdd(url, u => new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(Options(u)))).Value;
        return mux.GetDatabase();
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
