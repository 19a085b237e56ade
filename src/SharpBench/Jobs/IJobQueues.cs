namespace SharpBench.Jobs;

/// <summary>
/// Where jobs wait, the whole contract of a worker's loop: enqueue, take in strict priority
/// order, store the outcome and acknowledge, reclaim a dead worker's jobs, hear stop requests.
/// </summary>
public interface IJobQueues
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

    /// <summary>Calls <paramref name="onStop"/> with the id of every job someone asked to stop.</summary>
    Task<IAsyncDisposable> SubscribeStopsAsync(Action<string> onStop, CancellationToken ct = default);
}
