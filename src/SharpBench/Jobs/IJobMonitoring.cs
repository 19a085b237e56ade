namespace SharpBench.Jobs;

/// <summary>
/// What dashboards and health checks read (RQ Worker, <c>bench doctor</c>, <c>bench health</c>):
/// queue counts and the registry of live workers, which workers keep by heartbeating.
/// </summary>
public interface IJobMonitoring
{
    Task<IReadOnlyList<QueueCounts>> CountsAsync(IReadOnlyList<string> queues, CancellationToken ct = default);

    /// <summary>Publishes the worker's state; the record lives a few heartbeats, so a dead worker disappears.</summary>
    Task HeartbeatAsync(WorkerInfo worker, CancellationToken ct = default);

    Task RemoveWorkerAsync(string name, CancellationToken ct = default);

    Task<IReadOnlyList<WorkerInfo>> WorkersAsync(CancellationToken ct = default);
}
