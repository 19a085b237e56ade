using System.Collections.Concurrent;
using SharpBench.Sites;

namespace SharpBench.Jobs;

/// <summary>
/// Picks the queue a process talks to: Redis when <c>redis_queue</c> is set, otherwise the
/// in-process queue, which exists only in a process that runs workers for it (<c>bench start</c>).
/// </summary>
public static class JobBackends
{
    private static readonly ConcurrentDictionary<string, RedisJobBackend> Redis = new(StringComparer.Ordinal);
    private static InProcessJobBackend? _embedded;

    /// <summary>The in-process queue, once <see cref="UseEmbedded"/> made one.</summary>
    public static InProcessJobBackend? Embedded => _embedded;

    /// <summary>Creates (once) the in-process queue; called by the role that also runs its workers.</summary>
    public static InProcessJobBackend UseEmbedded()
    {
        Interlocked.CompareExchange(ref _embedded, new InProcessJobBackend(), null);
        return _embedded;
    }

    public static IJobBackend For(QueueSettings settings)
    {
        if (settings.RedisQueue is { } url)
            return Redis.GetOrAdd(url + "|" + settings.BenchId, _ => new RedisJobBackend(url, settings.BenchId, settings.FailureTtl, settings.FailedJobsLimit));
        return _embedded ?? throw new BenchException(
            "No job queue: set redis_queue in common_site_config.json (bench set-config -g redis_queue redis://HOST:PORT), or run jobs inside bench start.");
    }
}
