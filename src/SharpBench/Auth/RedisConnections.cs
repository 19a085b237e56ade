using StackExchange.Redis;

namespace SharpBench.Auth;

/// <summary>
/// The <c>redis_cache</c> database that sessions and login locks use, from the process-wide
/// connections (<see cref="Sites.RedisConnections.Outside"/>): one multiplexer per URL
/// (<c>redis://[:password@]host:port[/db]</c>, as in common_site_config.json), shared by every
/// site and host using that URL, since two hosts talking to one Redis gain nothing from two sets
/// of sockets.
/// </summary>
public static class RedisConnections
{
    /// <summary>The cache database of that URL, or null when no URL is configured; connects without blocking a thread.</summary>
    public static async ValueTask<IDatabase?> DatabaseAsync(string? url)
        => string.IsNullOrWhiteSpace(url) ? null : (await Sites.RedisConnections.Outside.CacheAsync(url)).GetDatabase();

    public static ConfigurationOptions Options(string url) => Sites.RedisConnections.CacheOptions(url);
}
