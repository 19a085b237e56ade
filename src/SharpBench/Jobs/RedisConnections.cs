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
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || string.IsNullOrEmpty(uri.Host))
            throw new Sites.BenchException($"redis_queue '{url}' is not a redis:// URL (expected redis://host:port).");
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectRetry = 3,
            ConnectTimeout = 5000,
            SyncTimeout = 10000,
            AsyncTimeout = 10000,
            ReconnectRetryPolicy = new LinearRetry(500),
            Ssl = uri.Scheme == "rediss",
            ClientName = "sharpbench",
        };
        options.EndPoints.Add(uri.Host, uri.Port > 0 ? uri.Port : 6379);
        if (uri.UserInfo is { Length: > 0 } info)
        {
            var parts = info.Split(':', 2);
            if (parts.Length == 2)
            {
                if (parts[0].Length > 0)
                    options.User = Uri.UnescapeDataString(parts[0]);
                options.Password = Uri.UnescapeDataString(parts[1]);
            }
            else
            {
                options.Password = Uri.UnescapeDataString(parts[0]);
            }
        }
        if (uri.AbsolutePath.Trim('/') is { Length: > 0 } db && int.TryParse(db, out var n))
            options.DefaultDatabase = n;
        return options;
    }
}
