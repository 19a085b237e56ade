namespace SharpBench.Jobs;

/// <summary>
/// One job storage: Redis streams (<see cref="RedisJobBackend"/>) or the in-process queue of
/// <c>bench start</c> (<see cref="InProcessJobBackend"/>). Each serves the queue, the job records
/// and monitoring, kept apart as Hangfire keeps storage apart from its monitoring API, so each
/// caller depends on the part it uses. Both give the same statuses and the same strict queue
/// priority, so callers never branch on which one runs.
/// </summary>
public interface IJobBackend : IJobQueues, IJobRecords, IJobMonitoring;

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
