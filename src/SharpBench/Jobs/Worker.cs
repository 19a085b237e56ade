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

    public string Name { get; init; } = DefaultName();

    /// <summary>How long an entry of a dead worker stays pending before another worker takes it.</summary>
    public TimeSpan ReclaimGrace { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    public static string DefaultName() => $"{Environment.MachineName}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..6]}";
}

/// <summary>
/// The worker loop of <c>bench worker</c> (and of <c>bench start</c>'s in-process workers): takes
/// jobs in strict priority order, runs up to <see cref="WorkerOptions.Concurrency"/> at once,
/// stores each outcome before acknowledging it, claims jobs of dead workers, and heartbeats.
/// Cancelling the token passed to <see cref="RunAsync"/> is a warm stop: no new job is taken and
/// running ones finish (each is bounded by its own timeout).
/// </summary>
public sealed class Worker(IJobBackend backend, QueueSettings settings, WorkerOptions options, SiteRegistry sites, ILogger logger)
{
    private readonly JobExecutor _executor = new(sites, logger);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly WorkerInfo _info = new() { Name = options.Name, Queues = options.Queues };
    private long _successful;
    private long _failed;
    private long _workingTicks;

    public string Name => options.Name;

    public long Successful => Interlocked.Read(ref _successful);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Runs until <paramref name="stopTaking"/> is cancelled (or, with burst, the queues are empty).</summary>
    public async Task RunAsync(CancellationToken stopTaking)
    {
        var queueList = string.Join(",", options.Queues);
        JobLog.WorkerStarted(logger, options.Name, backend.Kind, Environment.ProcessId, queueList, options.Concurrency, options.Burst ? ", burst" : "");
        await using var stops = await Resilient(() => backend.SubscribeStopsAsync(OnStopRequested), stopTaking);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatLoopAsync(heartbeatStop.Token);
        var slots = new List<Task>();
        var lastReclaim = 0L;
        try
        {
            while (!stopTaking.IsCancellationRequested)
            {
                slots.RemoveAll(t => t.IsCompleted);
                if (slots.Count >= options.Concurrency)
                {
                    await Task.WhenAny(slots);
                    continue;
                }
                JobRecord? job = null;
                try
                {
                    if (Stopwatch.GetElapsedTime(lastReclaim) > options.HeartbeatInterval || lastReclaim == 0)
                    {
                        lastReclaim = Stopwatch.GetTimestamp();
                        foreach (var claimed in await backend.ReclaimAsync(options.Queues, options.Name, options.ReclaimGrace, stopTaking))
                        {
                            JobLog.Reclaimed(logger, claimed.Queue, claimed.Method, claimed.Id, claimed.Attempts);
                            slots.Add(RunOneAsync(claimed));
                        }
                        if (slots.Count >= options.Concurrency)
                            continue;
                    }
                    job = await backend.DequeueAsync(options.Queues, options.Name, stopTaking);
                }
                catch (OperationCanceledException) when (stopTaking.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    JobLog.QueueUnavailable(logger, e.Message);
                    await DelayQuietly(TimeSpan.FromSeconds(1), stopTaking);
                    continue;
                }
                if (job is not null)
                {
                    slots.Add(RunOneAsync(job));
                    continue;
                }
                if (options.Burst && slots.Count == 0)
                    break;
                if (options.Burst)
                {
                    await Task.WhenAny(slots);
                    continue;
                }
                var wait = backend.WaitForWorkAsync(TimeSpan.FromSeconds(1), stopTaking);
                await Task.WhenAny(slots.Append(wait).ToList());
            }
        }
        finally
        {
            var stillRunning = slots.Count(t => !t.IsCompleted);
            if (stillRunning > 0)
                JobLog.WorkerDraining(logger, options.Name, stillRunning);
            await Task.WhenAll(slots);
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

    private void OnStopRequested(string id)
    {
        if (_running.TryGetValue(id, out var cts))
        {
            JobLog.StopRequested(logger, id);
            cts.Cancel();
        }
    }

    private async Task RunOneAsync(JobRecord job)
    {
        await Task.Yield();
        using var stop = new CancellationTokenSource();
        _running[job.Id] = stop;
        var started = Stopwatch.GetTimestamp();
        JobLog.JobStarted(logger, job.Queue, job.Method, job.Id);
        try
        {
            job.WorkerName = options.Name;
            await _executor.RunAsync(job, stop.Token);
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
        Interlocked.Add(ref _workingTicks, elapsed.Ticks);
        var ms = Math.Round(elapsed.TotalMilliseconds, 1);
        if (job.Status == JobStatus.Finished)
        {
            Interlocked.Increment(ref _successful);
            JobLog.JobFinished(logger, job.Queue, job.Method, job.Id, ms);
        }
        else
        {
            Interlocked.Increment(ref _failed);
            var reason = FirstLine(job.ExcInfo);
            JobLog.JobNotFinished(logger, job.Queue, job.Method, job.Id, job.Status, reason);
        }
        var keep = TimeSpan.FromSeconds(job.Status == JobStatus.Finished ? settings.ResultsTtl : settings.FailureTtl);
        // The outcome must reach the queue before the entry is acknowledged; while Redis is away
        // keep trying (the entry stays pending, so even giving up only means a re-run).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await backend.CompleteAsync(job, keep);
                return;
            }
            catch (Exception e) when (attempt < 600)
            {
                if (attempt == 1 || attempt % 30 == 0)
                    JobLog.CompleteRetry(logger, job.Id, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            catch (Exception e)
            {
                JobLog.CompleteGaveUp(logger, job.Id, e.Message);
                return;
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
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                JobLog.QueueUnavailable(logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }

    private static string FirstLine(string? text) => text is null ? "" : text.Split('\n', 2)[0];
}
