using SharpBench.Sites;
using StackExchange.Redis;

namespace SharpBench.Jobs;

/// <summary>
/// Whether <c>redis_queue</c> keeps its data across a restart (AOF or RDB snapshots). Without
/// either, a restart of Redis drops every queued job and no process notices, so <c>bench doctor</c>
/// and the worker's start-up log say so. The check asks <c>CONFIG GET</c> on a short connection of
/// its own; a login whose ACL refuses admin commands gets "could not be checked" instead of a guess.
/// The bench's own <c>create-rq-users</c> login is known to be refused, so it is not asked (each
/// refusal would land in the server's ACL LOG): <c>INFO persistence</c> still shows AOF.
/// </summary>
public static class QueuePersistence
{
    public enum State
    {
        Persistent,
        NotPersistent,
        Unknown,
    }

    /// <param name="Detail">What was found (<c>appendonly yes</c>, <c>save "3600 1"</c>) or why it could not be checked.</param>
    public sealed record Report(State State, string Detail)
    {
        /// <summary>The warning to show, or null when the queue is persistent.</summary>
        public string? Warning(string shownUrl) => State switch
        {
            State.NotPersistent => $"redis_queue {shownUrl} has neither AOF (appendonly) nor RDB snapshots (save) on: a restart of that Redis loses every queued job without an error. Run it with --appendonly yes (as the project's compose files do).",
            State.Unknown => $"Could not check whether redis_queue {shownUrl} keeps queued jobs across a restart ({Detail}). Make sure it runs with appendonly yes.",
            _ => null,
        };
    }

    /// <summary>The check for a role's <c>redis_queue</c> login (see <see cref="QueueSettings.UsesRqAuth"/>).</summary>
    public static Task<Report> CheckAsync(QueueSettings settings) =>
        settings.UsesRqAuth ? CheckAofOnlyAsync(settings.RedisQueue!) : CheckAsync(settings.RedisQueue!);

    public static async Task<Report> CheckAsync(string url, TimeSpan? timeout = null)
    {
        var options = RedisConnections.Options(url);
        // Its own connection: the shared one disables CONFIG (an ACL'd user may not send it on connect).
        options.CommandMap = CommandMap.Default;
        options.AllowAdmin = true;
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        var limit = (int)(timeout ?? TimeSpan.FromSeconds(3)).TotalMilliseconds;
        options.ConnectTimeout = options.SyncTimeout = options.AsyncTimeout = limit;
        try
        {
            await using var mux = await ConnectionMultiplexer.ConnectAsync(options);
            var db = mux.GetDatabase();
            var aof = Value(await db.ExecuteAsync("CONFIG", "GET", "appendonly"));
            var save = Value(await db.ExecuteAsync("CONFIG", "GET", "save"));
            if (string.Equals(aof, "yes", StringComparison.OrdinalIgnoreCase))
                return new Report(State.Persistent, "appendonly yes");
            if (!string.IsNullOrWhiteSpace(save))
                return new Report(State.Persistent, $"save \"{save}\"");
            return new Report(State.NotPersistent, "appendonly no, save \"\"");
        }
        catch (RedisServerException e)
        {
            return new Report(State.Unknown, "CONFIG GET was refused: " + e.Message);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new Report(State.Unknown, "Redis did not answer: " + e.Message);
        }
    }

    /// <summary>
    /// For a login that may not run <c>CONFIG</c>: <c>INFO persistence</c> shows whether AOF is on,
    /// but not the RDB <c>save</c> setting, so without AOF the answer is "could not be checked".
    /// </summary>
    private static async Task<Report> CheckAofOnlyAsync(string url)
    {
        // The shared connection's command map: CONFIG stays out of the handshake too. AllowAdmin
        // only lifts the client library's own gate on INFO; the server still decides.
        var options = RedisConnections.Options(url);
        options.AllowAdmin = true;
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = options.SyncTimeout = options.AsyncTimeout = 3000;
        try
        {
            await using var mux = await ConnectionMultiplexer.ConnectAsync(options);
            var info = (string?)await mux.GetDatabase().ExecuteAsync("INFO", "persistence") ?? "";
            return info.Split('\n').Any(l => l.Trim() == "aof_enabled:1")
                ? new Report(State.Persistent, "appendonly yes")
                : new Report(State.Unknown, "appendonly is off, and the use_rq_auth login may not run CONFIG GET to see the RDB save setting");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new Report(State.Unknown, "Redis did not answer: " + e.Message);
        }
    }

    private static string? Value(RedisResult result) =>
        result.Resp2Type == ResultType.Array && ((RedisResult[])result!) is [_, var v, ..] ? (string?)v : null;
}
