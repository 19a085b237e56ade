using System.Collections.Concurrent;
using StackExchange.Redis;

namespace SharpBench.Jobs;

/// <summary>
/// One multiplexed connection per Redis URL for the whole process. Connections never give up:
/// when Redis restarts, commands fail until it is back and the connection heals by itself.
/// </summary>
public static class RedisConnections
{
    private static readonly ConcurrentDictionary<string, Lazy<ConnectionMultiplexer>> Open = new(StringComparer.Ordinal);

    public static ConnectionMultiplexer Get(string url) =>
        Open.GetOrAdd(url, u => new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(Options(u)))).Value;

    /// <summary>Turns Frappe's <c>redis://[user:password@]host:port[/db]</c> (or <c>rediss://</c>) into client options.</summary>
    public static ConfigurationOptions Options(string url)
    {
        var options = Data.RedisUrl.Parse(url, "redis_queue");
        options.ConnectRetry = 3;
        options.ConnectTimeout = 5000;
        options.SyncTimeout = 10000;
        options.AsyncTimeout = 10000;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        options.ClientName = "sharpbench";
        return options;
    }
}
