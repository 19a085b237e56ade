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
        var uri = new Uri(url.Contains("://", StringComparison.Ordinal) ? url : "redis://" + url);
        var options = new ConfigurationOptions { AbortOnConnectFail = false, ConnectTimeout = 2000, SyncTimeout = 2000, AsyncTimeout = 2000 };
        options.EndPoints.Add(uri.Host, uri.Port > 0 ? uri.Port : 6379);
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
            if (parts.Length == 2)
            {
                if (parts[0].Length > 0)
                    options.User = parts[0];
                options.Password = parts[1];
            }
            else
            {
                options.Password = parts[0];
            }
        }
        var path = uri.AbsolutePath.Trim('/');
        if (int.TryParse(path, out var db))
            options.DefaultDatabase = db;
        if (uri.Scheme == "rediss")
            options.Ssl = true;
        return options;
    }
}
