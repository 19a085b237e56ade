using System.Collections.Concurrent;
using StackExchange.Redis;

namespace SharpBench.Sites;

/// <summary>
/// The host's Redis connections: one multiplexer per <c>redis_queue</c> URL (login included) for
/// the queue, and one for realtime pub/sub, shared by everything the host runs (a singleton
/// service; disposing the host closes them). Connections never give up: when Redis restarts,
/// commands fail until it is back and the connection heals by itself. A refused login is the
/// exception: it fails at once with a <see cref="BenchException"/>, and is not kept, so a process
/// given the right password later is not stuck with the refusal.
/// </summary>
public sealed class RedisConnections : IAsyncDisposable
{
    /// <summary>
    /// The connections of work done outside any host (a CLI command, a test's own context): such
    /// work carries no services to ask, so there is one set per process.
    /// </summary>
    public static RedisConnections Outside { get; } = new();

    private readonly ConcurrentDictionary<string, Lazy<Task<ConnectionMultiplexer>>> _open = new(StringComparer.Ordinal);

    /// <summary>The queue's connection to <paramref name="url"/>, connected on first use.</summary>
    public Task<ConnectionMultiplexer> QueueAsync(string url) => GetAsync("queue|" + url, () => ConnectAsync(Options(url)));

    /// <summary>The realtime bridge's connection to <paramref name="url"/> (pub/sub; commands may wait in the client's backlog).</summary>
    public Task<ConnectionMultiplexer> RealtimeAsync(string url) => GetAsync("realtime|" + url, () => ConnectAsync(RealtimeOptions(url)));

    /// <summary>The cache's connection to <paramref name="url"/> (<c>redis_cache</c>: sessions, login locks), connected on first use.</summary>
    public Task<ConnectionMultiplexer> CacheAsync(string url) => GetAsync("cache|" + url, () => ConnectionMultiplexer.ConnectAsync(CacheOptions(url)));

    private async Task<ConnectionMultiplexer> GetAsync(string key, Func<Task<ConnectionMultiplexer>> connect)
    {
        var lazy = _open.GetOrAdd(key, _ => new Lazy<Task<ConnectionMultiplexer>>(connect));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            _open.TryRemove(new KeyValuePair<string, Lazy<Task<ConnectionMultiplexer>>>(key, lazy));
            throw;
        }
    }

    /// <summary>Turns Frappe's <c>redis://[user:password@]host:port[/db]</c> (or <c>rediss://</c>) into client options.</summary>
    public static ConfigurationOptions Options(string url)
    {
        var options = Data.RedisUrl.Parse(url, "redis_queue");
        options.ConnectRetry = 3;
        options.ConnectTimeout = 5000;
        options.SyncTimeout = 10000;
        options.AsyncTimeout = 10000;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        // While disconnected a command fails at once instead of waiting in the client's backlog:
        // a backlogged enqueue would be sent after its caller already failed (and maybe retried),
        // queueing the job twice. Enqueues bound their own wait (BoundedEnqueue); workers retry.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName = "sharpbench";
        return options;
    }

    /// <summary>The cache's options: short timeouts, so a cache that is down does not stall a request for long.</summary>
    public static ConfigurationOptions CacheOptions(string url)
    {
        var options = Data.RedisUrl.Parse(url, "redis_cache");
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        return options;
    }

    /// <summary>The realtime bridge's options: the client library's defaults, under its own client name.</summary>
    public static ConfigurationOptions RealtimeOptions(string url)
    {
        var options = Data.RedisUrl.Parse(url, "redis_queue");
        options.ClientName = "sharpbench-realtime";
        return options;
    }

    /// <summary>
    /// Connects to <c>redis_queue</c>. A wrong user or password never heals, and a connection that
    /// keeps retrying would only show it as a timeout on every command, so one strict first attempt
    /// tells a refused login apart: it throws a <see cref="BenchException"/> naming the server and
    /// user. Any other failure (Redis not up yet) falls back to the connection that heals.
    /// </summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions options)
    {
        var strict = options.Clone();
        strict.AbortOnConnectFail = true;
        strict.ConnectRetry = 1;
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(strict);
        }
        catch (RedisConnectionException e) when (e.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            var reply = (e.InnerException?.Message ?? e.Message).Replace("SimpleError: ", "", StringComparison.Ordinal).TrimEnd('.');
            throw new BenchException(
                $"Cannot log in to redis_queue {string.Join(",", options.EndPoints.Select(EndPointCollection.ToString))} as user '{options.User ?? "default"}': {reply}. " +
                "Check use_rq_auth, rq_username and rq_password in common_site_config.json (or bench worker -u/-p), or the RQ_ADMIN_PASWORD environment variable.");
        }
        catch (RedisConnectionException)
        {
            return await ConnectionMultiplexer.ConnectAsync(options);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _open.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
                await (await lazy.Value).DisposeAsync();
        }
        _open.Clear();
    }
}
