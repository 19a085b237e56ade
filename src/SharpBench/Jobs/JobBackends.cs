using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using SharpBench.Sites;

namespace SharpBench.Jobs;

/// <summary>
/// Picks the queue a host talks to (a singleton service): Redis when <c>redis_queue</c> is set,
/// otherwise the in-process queue, which exists only in a host that runs workers for it
/// (<c>bench start</c>). Two hosts in one process have their own, so their in-process queues
/// never meet.
/// </summary>
/// <param name="embedded">Set in a host that runs the in-process queue's workers: the queue exists from the start, before any enqueue.</param>
public sealed class JobBackends(RedisConnections redis, EmbeddedQueueSettings? embedded = null)
{
    /// <summary>
    /// The backends of work done outside any host (a CLI command, a test's own context): such a
    /// context carries no services to ask, so there is one per process.
    /// </summary>
    public static JobBackends Outside { get; } = new(RedisConnections.Outside);

    private readonly ConcurrentDictionary<string, RedisJobBackend> _redis = new(StringComparer.Ordinal);
    private InProcessJobBackend? _embedded = embedded is null ? null : new InProcessJobBackend { FailedJobsLimit = embedded.FailedJobsLimit };

    /// <summary>The backends of the host that runs <paramref name="context"/>'s unit of work, else <see cref="Outside"/>.</summary>
    public static JobBackends Of(FrappeContext context) => context.Services?.GetService<JobBackends>() ?? Outside;

    /// <summary>The in-process queue, once <see cref="UseEmbedded"/> made one.</summary>
    public InProcessJobBackend? Embedded => _embedded;

    /// <summary>Creates (once) the in-process queue; called by the role that also runs its workers.</summary>
    public InProcessJobBackend UseEmbedded()
    {
        Interlocked.CompareExchange(ref _embedded, new InProcessJobBackend(), null);
        return _embedded;
    }

    /// <summary>The queue of <paramref name="settings"/>; a Redis one connects on its first call.</summary>
    public IJobBackend For(QueueSettings settings)
    {
        if (settings.RedisQueue is { } url)
        {
            var key = url + "|" + settings.BenchId;
            var backend = _redis.GetOrAdd(key, _ => New(url, settings));
            if (backend.Refused)
            {
                // A refused login is not kept: the next call tries again (with what config says then).
                _redis.TryRemove(new KeyValuePair<string, RedisJobBackend>(key, backend));
                backend = _redis.GetOrAdd(key, _ => New(url, settings));
            }
            return backend;
        }
        return _embedded ?? throw new BenchException(
            "No job queue: set redis_queue in common_site_config.json (bench set-config -g redis_queue redis://HOST:PORT), or run jobs inside bench start.");
    }

    /// <summary>Like <see cref="For"/>, once connected: a refused login throws its <see cref="BenchException"/> here.</summary>
    public async Task<IJobBackend> ForAsync(QueueSettings settings)
    {
        var backend = For(settings);
        if (backend is RedisJobBackend r)
            await r.ConnectedAsync();
        return backend;
    }

    private RedisJobBackend New(string url, QueueSettings settings) =>
        new(redis.QueueAsync(url), settings.BenchId, settings.FailureTtl, settings.FailedJobsLimit);
}

/// <summary>A host runs the in-process queue (<c>bench start</c> without <c>redis_queue</c>), keeping <c>rq_failed_jobs_limit</c> failed jobs.</summary>
public sealed record EmbeddedQueueSettings(int FailedJobsLimit);
