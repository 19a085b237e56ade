using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SharpBench.Sites;

namespace SharpBench.Jobs;

/// <summary>How a worker runs: which queues (in priority order), how many jobs at once, burst or not.</summary>
public sealed record WorkerOptions
{
    public required IReadOnlyList<string> Queues { get; init; }

    /// <summary>Jobs run at the same time in this worker (they are async, so one process can run several).</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Drain the queues, then stop.</summary>
    public bool Burst { get; init; }

    /// <summary>How the queue order changes between jobs (<c>--strategy</c>); strict priority by default.</summary>
    public DequeueStrategy Strategy { get; init; }

    public string Name { get; init; } = DefaultName();

    /// <summary>How long an entry of a dead worker stays pending before another worker takes it.</summary>
    public TimeSpan ReclaimGrace { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Called after each heartbeat the queue accepted (the role's health file).</summary>
    public Action? Heartbeated { get; init; }

    public static string DefaultName() => $"{Environment.MachineName}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..6]}";
}

/// <summary>
/// The worker loop of <c>bench worker</c> (and of <c>bench start</c>'s in-process workers): takes
/// jobs in strict priority order, runs up to <see cref="WorkerOptions.Concurrency"/> at once,
/// stores each outcome before acknowledging it, claims jobs of dead workers, and heartbeats.
/// Cancelling the first token passed to <see cref="RunAsync"/> is a warm stop: no new job is taken
/// and running ones finish (each is bounded by its own timeout); cancelling the second ends the
/// grace: an outcome Redis has not taken yet is left pending (another worker re-runs the job).
/// </summary>
/// <param name="services">The host's services, handed to each job's context; null outside a host.</param>
public sealed class Worker(IJobBackend backend, QueueSettings settings, WorkerOptions options, SiteRegistry sites, ILogger logger, IServiceProvider? services = null)
{
    private readonly JobExecutor _executor = new(sites, logger, services) { KeepCompletion = job => JobCompletions.Keep(job, settings) };
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly WorkerInfo _info = new() { Name = options.Name, Queues = options.Queues };
    private readonly ConcurrentQueue<JobRecord> _claimed = new();
    private readonly QueueOrder _order = new(options.Queues, options.Strategy);

    /// <summary>Jobs taken and not started yet (id → a stop was requested), so a stop reaches them too.</summary>
    private readonly ConcurrentDictionary<string, bool> _waiting = new(StringComparer.Ordinal);
    private long _lastReclaim = long.MinValue / 2;
    private CancellationToken _graceOver;
    private long _successful;
    private long _failed;
    private long _workingTicks;

    public string Name => options.Name;

    public long Successful => Interlocked.Read(ref _successful);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Runs until <paramref name="stopTaking"/> is cancelled (or, with burst, the queues are empty).</summary>
    /// <param name="graceOver">Cancelled when the stop's grace period ends: stop waiting for Redis to take outcomes.</param>
    public async Task RunAsync(CancellationToken stopTaking, CancellationToken graceOver = default)
    {
        _graceOver = graceOver;
        var queueList = string.Join(",", options.Queues);
        JobLog.WorkerStarted(logger, options.Name, backend.Kind, Environment.ProcessId, queueList, options.Concurrency, options.Burst ? ", burst" : "");
        await using var stops = await Resilient(() => backend.SubscribeStopsAsync(OnStopRequested), stopTaking);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatLoopAsync(heartbeatStop.Token);
        using var draining = stopTaking.Register(() =>
        {
            if (!_running.IsEmpty)
                JobLog.WorkerDraining(logger, options.Name, _running.Count);
        });
        var slots = new Task[options.Concurrency];
        for (var i = 0; i < slots.Length; i++)
            slots[i] = SlotAsync(stopTaking);
        try
        {
            await Task.WhenAll(slots);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
            try
            {
                await backend.RemoveWorkerAsync(options.Name, CancellationToken.None);
            }
            catch (Exception e)
            {
                JobLog.UnregisterFailed(logger, options.Name, e.Message);
            }
            JobLog.WorkerStopped(logger, options.Name, Successful, Failed);
        }
    }

    /// <summary>
    /// One of the <see cref="WorkerOptions.Concurrency"/> loops: take jobs, run them one after
    /// another, and store each outcome. While jobs are quick (under <see cref="QuickJob"/>), it
    /// takes up to <see cref="MaxBatch"/> at once and stores the outcomes without waiting for
    /// each reply (Redis keeps their order), so a round trip is paid per batch, not per job; the
    /// last outcome of a batch and the next batch share one round trip. A slow job drops the
    /// batch back to one, so a taken job never waits long behind another.
    /// </summary>
    private async Task SlotAsync(CancellationToken stopTaking)
    {
        await Task.Yield();
        var batch = 1;
        var buffer = new Queue<JobRecord>(await TakeAsync(batch, stopTaking));
        foreach (var n in buffer)
            _waiting[n.Id] = false;
        var writes = new List<(JobRecord Job, Task Write)>();
        var batchStart = Stopwatch.GetTimestamp();
        var batchSize = buffer.Count;
        while (buffer.TryDequeue(out var job))
        {
            await RunOneAsync(job);
            if (buffer.Count > 0)
            {
                writes.Add((job, backend.CompleteAsync(job, KeepFor(job), ct: CancellationToken.None)));
                continue;
            }
            await SettleAsync(writes);
            _order.Served(job.Queue);
            // Quick jobs: grow the batch; anything slower goes back to one job per take.
            var perJob = Stopwatch.GetElapsedTime(batchStart) / Math.Max(1, batchSize);
            batch = perJob < QuickJob && !_order.PerJob ? Math.Min(MaxBatch, batch * 2) : 1;
            var takeNext = !stopTaking.IsCancellationRequested && _claimed.IsEmpty && !ReclaimDue();
            // Jobs taken in the same step as a stop are ours and marked started: they run too,
            // rather than wait pending for the reclaim grace.
            var next = await FinishAsync(job, takeNext ? _order.Current : null, batch);
            if (next.Count == 0)
                next = await TakeAsync(batch, stopTaking);
            foreach (var n in next)
            {
                _waiting[n.Id] = false;
                buffer.Enqueue(n);
            }
            batchStart = Stopwatch.GetTimestamp();
            batchSize = next.Count;
        }
    }

    /// <summary>Below this per-job time, a slot takes several jobs per round trip.</summary>
    public static readonly TimeSpan QuickJob = TimeSpan.FromMilliseconds(2);

    public const int MaxBatch = 32;

    private TimeSpan KeepFor(JobRecord job) =>
        TimeSpan.FromSeconds(job.Status == JobStatus.Finished ? settings.ResultsTtl : settings.FailureTtl);

    /// <summary>Waits for outcomes sent without waiting; one that did not arrive is stored again (with retries).</summary>
    private async Task SettleAsync(List<(JobRecord Job, Task Write)> writes)
    {
        foreach (var (job, write) in writes)
        {
            try
            {
                await write;
            }
            catch (Exception)
            {
                await FinishAsync(job, null, 1);
            }
        }
        writes.Clear();
    }

    private bool ReclaimDue() => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastReclaim)) > options.HeartbeatInterval;

    /// <summary>The next jobs: those left by a dead worker, else the queues'; empty when stopping, or empty queues with burst.</summary>
    private async Task<IReadOnlyList<JobRecord>> TakeAsync(int max, CancellationToken stopTaking)
    {
        while (!stopTaking.IsCancellationRequested)
        {
            try
            {
                var last = Interlocked.Read(ref _lastReclaim);
                if (Stopwatch.GetElapsedTime(last) > options.HeartbeatInterval
                    && Interlocked.CompareExchange(ref _lastReclaim, Stopwatch.GetTimestamp(), last) == last)
                {
                    foreach (var claimed in await backend.ReclaimAsync(options.Queues, options.Name, options.ReclaimGrace, stopTaking))
                    {
                        // Our own entry that waited past its timeout while this worker was busy is already ours.
                        if (_running.ContainsKey(claimed.Id) || _waiting.ContainsKey(claimed.Id))
                            continue;
                        JobLog.Reclaimed(logger, claimed.Queue, claimed.Method, claimed.Id, claimed.Attempts);
                        _claimed.Enqueue(claimed);
                    }
                }
                if (_claimed.TryDequeue(out var reclaimed))
                    return [reclaimed];
                var jobs = await backend.TakeAsync(_order.Current, options.Name, max, stopTaking);
                if (jobs.Count > 0)
                    return jobs;
                if (options.Burst)
                    return [];
                await backend.WaitForWorkAsync(TimeSpan.FromSeconds(1), stopTaking);
            }
            catch (OperationCanceledException) when (stopTaking.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (RedisRefusal.IsPermanent(e))
            {
                throw RedisRefusal.Explain(e);
            }
            catch (Exception e)
            {
                JobLog.QueueUnavailable(logger, e.Message);
                await DelayQuietly(TimeSpan.FromSeconds(1), stopTaking);
            }
        }
        return [];
    }

    private void OnStopRequested(string id)
    {
        if (_running.TryGetValue(id, out var cts))
        {
            JobLog.StopRequested(logger, id);
            cts.Cancel();
        }
        else if (_waiting.TryUpdate(id, true, false))
        {
            JobLog.StopRequested(logger, id);
        }
    }

    private async Task RunOneAsync(JobRecord job)
    {
        using var stop = new CancellationTokenSource();
        _running[job.Id] = stop;
        var started = Stopwatch.GetTimestamp();
        JobLog.JobStarted(logger, job.Queue, job.Method, job.Id);
        try
        {
            job.WorkerName = options.Name;
            job.StartedAt = JobRecord.Now();
            if (_waiting.TryRemove(job.Id, out var stopRequested) && stopRequested)
            {
                job.Status = JobStatus.Canceled;
                job.ExcInfo = "Stopped: the job was stopped before it started.";
                job.EndedAt = job.StartedAt;
            }
            else
            {
                await _executor.RunAsync(job, stop.Token);
            }
        }
        catch (Exception e)
        {
            job.Status = JobStatus.Failed;
            job.ExcInfo = e.ToString();
            job.EndedAt = JobRecord.Now();
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        Metrics.SharpBenchMetrics.JobEnded(job.Queue, job.Status, elapsed);
        Interlocked.Add(ref _workingTicks, elapsed.Ticks);
        if (job.Status == JobStatus.Finished)
        {
            Interlocked.Increment(ref _successful);
            var ms = Math.Round(elapsed.TotalMilliseconds, 1);
            JobLog.JobFinished(logger, job.Queue, job.Method, job.Id, ms);
        }
        else
        {
            Interlocked.Increment(ref _failed);
            var reason = FirstLine(job.ExcInfo);
            JobLog.JobNotFinished(logger, job.Queue, job.Method, job.Id, job.Status, reason);
        }
    }

    /// <summary>
    /// Stores the outcome (and takes up to <paramref name="takeMax"/> next jobs from
    /// <paramref name="takeFrom"/>, when given). The outcome must reach the queue before the entry
    /// is acknowledged; while Redis is away keep trying, until the stop's grace is over (the entry
    /// stays pending, so giving up only means a re-run).
    /// </summary>
    private async Task<IReadOnlyList<JobRecord>> FinishAsync(JobRecord job, IReadOnlyList<string>? takeFrom, int takeMax)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await backend.CompleteAsync(job, KeepFor(job), takeFrom, options.Name, takeMax);
            }
            catch (Exception e) when (attempt < 600 && !_graceOver.IsCancellationRequested)
            {
                if (attempt == 1 || attempt % 30 == 0)
                    JobLog.CompleteRetry(logger, job.Id, e.Message);
                // Whether the failed call took jobs is unknown; if it did, their entries are
                // pending on this worker and the reclaim runs them after their timeout.
                takeFrom = null;
                await DelayQuietly(TimeSpan.FromSeconds(1), _graceOver);
            }
            catch (Exception e)
            {
                JobLog.CompleteGaveUp(logger, job.Id, e.Message);
                return [];
            }
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                _info.LastHeartbeat = JobRecord.Now();
                _info.CurrentJobIds = _running.Keys.ToList();
                _info.Status = _info.CurrentJobIds.Count > 0 ? "busy" : "idle";
                _info.SuccessfulJobCount = Successful;
                _info.FailedJobCount = Failed;
                _info.TotalWorkingTime = TimeSpan.FromTicks(Interlocked.Read(ref _workingTicks)).TotalSeconds;
                await backend.HeartbeatAsync(_info, ct);
                options.Heartbeated?.Invoke();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                JobLog.HeartbeatFailed(logger, e.Message);
            }
            await DelayQuietly(options.HeartbeatInterval, ct);
        }
    }

    private static async Task DelayQuietly(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<T> Resilient<T>(Func<Task<T>> action, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception e) when (RedisRefusal.IsPermanent(e))
            {
                throw RedisRefusal.Explain(e);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                JobLog.QueueUnavailable(logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }

    private static string FirstLine(string? text) => text is null ? "" : text.Split('\n', 2)[0];
}
