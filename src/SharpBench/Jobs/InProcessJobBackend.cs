namespace SharpBench.Jobs;

/// <summary>
/// The embedded queue of <c>bench start</c> when <c>redis_queue</c> is not set: the same queues,
/// priority, statuses and TTLs as <see cref="RedisJobBackend"/>, held in this process's memory.
/// Jobs do not survive a restart of the process; that is the trade for needing no Redis.
/// </summary>
public sealed class InProcessJobBackend : IJobBackend
{
    private sealed class Stored(JobRecord job)
    {
        public JobRecord Job { get; set; } = job;
        public DateTime? ExpiresAt { get; set; }
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Stored> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkedList<string>> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkerInfo> _workers = new(StringComparer.Ordinal);
    private readonly List<Action<string>> _stopListeners = [];
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Kind => "in-process";

    private LinkedList<string> Queue(string name, bool front)
    {
        var key = front ? name + ":front" : name;
        if (!_queues.TryGetValue(key, out var list))
            _queues[key] = list = new LinkedList<string>();
        return list;
    }

    private void Expire()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        foreach (var id in _jobs.Where(p => p.Value.ExpiresAt < now).Select(p => p.Key).ToList())
            _jobs.Remove(id);
    }

    public Task<bool> EnqueueAsync(JobRecord job, bool atFront, bool deduplicate, CancellationToken ct = default)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            Expire();
            if (deduplicate && _jobs.TryGetValue(job.Id, out var existing) && JobStatus.IsPending(existing.Job.Status))
                return Task.FromResult(false);
            var copy = job.Clone();
            copy.Stream = atFront ? job.Queue + ":front" : job.Queue;
            _jobs[job.Id] = new Stored(copy);
            Queue(job.Queue, atFront).AddLast(job.Id);
            signal = _signal;
            _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        signal.TrySetResult();
        return Task.FromResult(true);
    }

    public Task<JobRecord?> DequeueAsync(IReadOnlyList<string> queues, string worker, CancellationToken ct = default)
    {
        lock (_gate)
        {
            foreach (var name in queues)
            {
                foreach (var front in new[] { true, false })
                {
                    var list = Queue(name, front);
                    while (list.First is { } node)
                    {
                        list.RemoveFirst();
                        if (_jobs.TryGetValue(node.Value, out var stored) && stored.Job.Status == JobStatus.Queued)
                        {
                            var job = stored.Job;
                            job.Status = JobStatus.Started;
                            job.StartedAt = JobRecord.Now();
                            job.WorkerName = worker;
                            job.Attempts++;
                            return Task.FromResult<JobRecord?>(job.Clone());
                        }
                    }
                }
            }
        }
        return Task.FromResult<JobRecord?>(null);
    }

    /// <summary>One at a time: taking is a lock and a list operation here, there is no round trip to save.</summary>
    public async Task<IReadOnlyList<JobRecord>> TakeAsync(IReadOnlyList<string> queues, string worker, int max, CancellationToken ct = default) =>
        await DequeueAsync(queues, worker, ct) is { } job ? [job] : [];

    public async Task WaitForWorkAsync(TimeSpan max, CancellationToken ct = default)
    {
        Task signal;
        lock (_gate)
            signal = _signal.Task;
        await Task.WhenAny(signal, Task.Delay(max, ct));
        ct.ThrowIfCancellationRequested();
    }

    /// <summary><c>rq_failed_jobs_limit</c>: failed records kept per queue, newest first.</summary>
    public int FailedJobsLimit { get; set; } = QueueSettings.DefaultFailedJobsLimit;

    public async Task<IReadOnlyList<JobRecord>> CompleteAsync(JobRecord job, TimeSpan keepFor, IReadOnlyList<string>? takeFrom = null, string? worker = null, int takeMax = 1, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_jobs.TryGetValue(job.Id, out var stored))
            {
                stored.Job = job.Clone();
                stored.ExpiresAt = TimeProvider.System.GetUtcNow().UtcDateTime + keepFor;
                if (job.Status == JobStatus.Failed)
                    TrimFailed(job.Queue);
            }
        }
        return takeFrom is { Count: > 0 } && worker is not null ? await TakeAsync(takeFrom, worker, takeMax, ct) : [];
    }

    private void TrimFailed(string queue)
    {
        var failed = _jobs.Values.Where(s => s.Job.Queue == queue && s.Job.Status == JobStatus.Failed)
            .OrderByDescending(s => s.Job.EndedAt).Skip(Math.Max(0, FailedJobsLimit)).Select(s => s.Job.Id).ToList();
        foreach (var id in failed)
            _jobs.Remove(id);
    }

    /// <summary>Nothing to claim: a job of this queue can only be lost with the whole process.</summary>
    public Task<IReadOnlyList<JobRecord>> ReclaimAsync(IReadOnlyList<string> queues, string worker, TimeSpan grace, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<JobRecord>>([]);

    public Task<JobRecord?> GetAsync(string id, CancellationToken ct = default)
    {
        lock (_gate)
        {
            Expire();
            return Task.FromResult(_jobs.TryGetValue(id, out var s) ? s.Job.Clone() : null);
        }
    }

    public Task<IReadOnlyList<JobRecord>> ListAsync(string site, CancellationToken ct = default)
    {
        lock (_gate)
        {
            Expire();
            IReadOnlyList<JobRecord> list = _jobs.Values.Select(s => s.Job).Where(j => j.Site == site)
                .OrderByDescending(j => j.CreatedAt).Select(j => j.Clone()).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult(_jobs.Remove(id));
    }

    public Task<StopOutcome> StopAsync(string id, CancellationToken ct = default)
    {
        List<Action<string>> listeners;
        lock (_gate)
        {
            if (!_jobs.TryGetValue(id, out var stored))
                return Task.FromResult(StopOutcome.NotFound);
            if (stored.Job.Status == JobStatus.Queued)
            {
                stored.Job.Status = JobStatus.Canceled;
                stored.Job.EndedAt = JobRecord.Now();
                stored.ExpiresAt = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(7);
                return Task.FromResult(StopOutcome.Canceled);
            }
            if (stored.Job.Status != JobStatus.Started)
                return Task.FromResult(StopOutcome.NotRunning);
            listeners = [.. _stopListeners];
        }
        foreach (var listener in listeners)
            listener(id);
        return Task.FromResult(StopOutcome.StopRequested);
    }

    public Task<IAsyncDisposable> SubscribeStopsAsync(Action<string> onStop, CancellationToken ct = default)
    {
        lock (_gate)
            _stopListeners.Add(onStop);
        return Task.FromResult<IAsyncDisposable>(new Unsubscribe(this, onStop));
    }

    private sealed class Unsubscribe(InProcessJobBackend owner, Action<string> listener) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (owner._gate)
                owner._stopListeners.Remove(listener);
            return ValueTask.CompletedTask;
        }
    }

    public Task<IReadOnlyList<QueueCounts>> CountsAsync(IReadOnlyList<string> queues, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<QueueCounts> counts = queues.Select(q => new QueueCounts(q,
                _jobs.Values.Count(s => s.Job.Queue == q && s.Job.Status == JobStatus.Queued),
                _jobs.Values.Count(s => s.Job.Queue == q && s.Job.Status == JobStatus.Started))).ToList();
            return Task.FromResult(counts);
        }
    }

    public Task HeartbeatAsync(WorkerInfo worker, CancellationToken ct = default)
    {
        lock (_gate)
            _workers[worker.Name] = worker;
        return Task.CompletedTask;
    }

    public Task RemoveWorkerAsync(string name, CancellationToken ct = default)
    {
        lock (_gate)
            _workers.Remove(name);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WorkerInfo>> WorkersAsync(CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<WorkerInfo>>(_workers.Values.OrderBy(w => w.Name, StringComparer.Ordinal).ToList());
    }
}
