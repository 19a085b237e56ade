using StackExchange.Redis;

namespace SharpBench.Jobs;

/// <summary>
/// Whether <c>redis_queue</c> keeps its data across a restart (AOF or RDB snapshots). Without
/// either, a restart of Redis drops every queued job and no process notices, so <c>bench doctor</c>
/// and the worker's start-up log say so. The check asks <c>CONFIG GET</c> on a short connection of
/// its own; a login whose ACL refuses admin commands (<c>bench create-rq-users</c>) gets "could not
/// be checked" instead of a guess.
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

    private static string? Value(RedisResult result) =>
        result.Resp2Type == ResultType.Array && ((RedisResult[])result!) is [_, var v, ..] ? (string?)v : null;
}
