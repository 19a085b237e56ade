using System.Collections.Concurrent;
using SharpBench.Sites;
using StackExchange.Redis;

namespace SharpBench.Jobs;

/// <summary>
/// One multiplexer per <c>redis_queue</c> URL (login included) for the whole process. Connections
/// never give up: when Redis restarts, commands fail until it is back and the connection heals by
/// itself. A refused login is the exception: it fails at once with a <see cref="BenchException"/>.
/// </summary>
public static class RedisConnections
{
    private static readonly ConcurrentDictionary<string, Lazy<ConnectionMultiplexer>> Open = new(StringComparer.Ordinal);

    public static ConnectionMultiplexer Get(string url)
    {
        var lazy = Open.GetOrAdd(url, u => new Lazy<ConnectionMultiplexer>(() => ConnectAsync(Options(u)).GetAwaiter().GetResult()));
        try
        {
            return lazy.Value;
        }
        catch (BenchException)
        {
            // Not cached, so a process that is given the right password later is not stuck with the refusal.
            Open.TryRemove(new KeyValuePair<string, Lazy<ConnectionMultiplexer>>(url, lazy));
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
}
