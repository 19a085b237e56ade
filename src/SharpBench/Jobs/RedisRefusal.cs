using StackExchange.Redis;

namespace SharpBench.Jobs;

/// <summary>
/// Redis errors that no retry can fix: the login or its ACL forbids what the worker needs.
/// Workers ride out a Redis that is down or restarting, but keep retrying one of these and
/// they would hang forever instead of telling the operator.
/// </summary>
public static class RedisRefusal
{
    public static bool IsPermanent(Exception e) =>
        e is RedisServerException { Message: var m }
        && (m.StartsWith("NOPERM", StringComparison.Ordinal) || m.StartsWith("NOAUTH", StringComparison.Ordinal) || m.StartsWith("WRONGPASS", StringComparison.Ordinal));

    public static BenchException Explain(Exception e) =>
        new($"redis_queue refused this worker: {e.Message.Split('\n')[0]}. Check the redis_queue user's ACL (bench create-rq-users writes one that fits).", e);
}
