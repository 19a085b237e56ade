namespace SharpBench.Jobs;

/// <summary>
/// Where jobs wait and where their records live: Redis streams (<see cref="RedisJobBackend"/>)
/// or the in-process queue of <c>bench start</c> (<see cref="InProcessJobBackend"/>). Both give
/// the same statuses and the same strict queue priority, so callers never branch on which one runs.
/// </summary>
public interface IJobBackend
{
    /// <summary>"redis" or "in-process", for logs and <c>bench doctor</c>.</summary>
    string Kind { get; }

    /// <summary>Stores the record and queues it. False when <paramref name="deduplicate"/> found the id queued or running.</summary>
    Task<bool> EnqueueAsync(JobRecord job, bool atFront, bool deduplicate, CancellationToken ct = default);

    /// <summary>
    /// Takes the next job in strict priority order (front entries of the first queue, its other
    /// entries, then the next queue …), marks it started by <paramref name="worker"/>; null when all are empty.
    /// </summary>
    Task<JobRecord?> DequeueAsync(IReadOnlyList<string> queues, string worker, CancellationToken ct = default);

    /// <summary>
    /// Takes up to <paramref name="max"/> jobs at once, all from the first queue (in priority order)
    /// that has any, each marked started by <paramref name="worker"/>; empty when all are empty.
    /// </summary>
    Task<IReadOnlyList<JobRecord>> TakeAsync(IReadOnlyList<string> queues, string worker, int max, CancellationToken ct = default);

    /// <summary>Waits until a job may be waiting (an enqueue was signalled) or <paramref name="max"/> passed.</summary>
    Task WaitForWorkAsync(TimeSpan max, CancellationToken ct = default);

    /// <summary>
    /// Saves the job's final state (finished, failed or canceled), sets its expiry and only then
    /// acknowledges it. A failed job joins its queue's failed registry, which keeps the newest
    /// <c>rq_failed_jobs_limit</c>. With <paramref name="takeFrom"/> and <paramref name="worker"/>,
    /// also takes up to <paramref name="takeMax"/> next jobs as <see cref="TakeAsync"/> does, in the
    /// same step (one round trip instead of two); empty when there are none or none were asked for.
    /// </summary>
    Task<IReadOnlyList<JobRecord>> CompleteAsync(JobRecord job, TimeSpan keepFor, IReadOnlyList<string>? takeFrom = null, string? worker = null, int takeMax = 1, CancellationToken ct = default);

    /// <summary>Jobs of <paramref name="queues"/> whose worker died, re-assigned to <paramref name="worker"/> and marked started.</summary>
    Task<IReadOnlyList<JobRecord>> ReclaimAsync(IReadOnlyList<string> queues, string worker, TimeSpan grace, CancellationToken ct = default);

    Task<JobRecord?> GetAsync(string id, CancellationToken ct = default);

    /// <summary>The site's jobs that have not expired, newest first.</summary>
    Task<IReadOnlyList<JobRecord>> ListAsync(string site, CancellationToken ct = default);

    /// <summary>Removes the record (and its queue entry, if it has not started). False when there is none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken ct = default);

    /// <summary>A queued job is canceled at once; a running one is asked to stop (its worker cancels it).</summary>
    Task<StopOutcome> StopAsync(string id, CancellationToken ct = default);

    /// <summary>Calls <paramref name="onStop"/> with the id of every job someone asked to stop.</summary>
    Task<IAsyncDisposable> SubscribeStopsAsync(Action<string> onStop, CancellationToken ct = default);

    Task<IReadOnlyList<QueueCounts>> CountsAsync(IReadOnlyList<string> queues, CancellationToken ct = default);

    /// <summary>Publishes the worker's state; the record lives a few heartbeats, so a dead worker disappears.</summary>
    Task HeartbeatAsync(WorkerInfo worker, CancellationToken ct = default);

    Task RemoveWorkerAsync(string name, CancellationToken ct = default);

    Task<IReadOnlyList<WorkerInfo>> WorkersAsync(CancellationToken ct = default);
}

public enum StopOutcome
{
    NotFound,
    Canceled,
    StopRequested,
    NotRunning,
}

/// <param name="Queued">Waiting to be taken.</param>
/// <param name="Started">Taken by a worker and not yet acknowledged.</param>
public sealed record QueueCounts(string Queue, long Queued, long Started);
