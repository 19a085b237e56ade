using StackExchange.Redis;

namespace SharpBench.Jobs;

/// <summary>
/// Jobs on Redis streams with the consumer group <c>workers</c>. Every key starts with
/// <c>sb:{bench_id}:</c> so several benches share one Redis:
/// <list type="bullet">
/// <item><c>queue:{q}</c> and <c>queue:{q}:front</c>: the queue's streams; <c>at_front</c> jobs go to the
/// second, which workers read first (FIFO among themselves, unlike RQ's LPUSH which is LIFO).</item>
/// <item><c>job:{site}::{id}</c>: the job record (a hash), expiring after the results/failure TTL once done.</item>
/// <item><c>jobs:{site}</c>: a sorted set of the site's job ids by creation time, for the RQ Job list.</item>
/// <item><c>worker:{name}</c> + the set <c>workers</c>: heartbeats; <c>wake</c> and <c>control</c>: pub/sub channels.</item>
/// </list>
/// A worker acknowledges an entry only after the job's outcome is stored, so an entry whose worker
/// died stays pending and is claimed again (see <see cref="RedisScripts.Reclaim"/>).
/// </summary>
public sealed class RedisJobBackend : IJobBackend
{
    public const string Group = "workers";
    public static readonly TimeSpan WorkerTtl = TimeSpan.FromSeconds(15);
    private const int MaxDeliveries = 5;

    private readonly Task<ConnectionMultiplexer> _redis;
    private readonly string _prefix;
    private readonly RedisChannel _wake;
    private readonly RedisChannel _control;
    private readonly HashSet<string> _groupsMade = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _subscribed;

    /// <param name="redis">The connection to <c>redis_queue</c>, shared with the host's other users of it; awaited by every call.</param>
    public RedisJobBackend(Task<ConnectionMultiplexer> redis, string benchId, int failureTtl = QueueSettings.DefaultFailureTtl, int failedJobsLimit = QueueSettings.DefaultFailedJobsLimit)
    {
        _redis = redis;
        _prefix = "sb:" + benchId + ":";
        _wake = RedisChannel.Literal(_prefix + "wake");
        _control = RedisChannel.Literal(_prefix + "control");
        FailureTtl = failureTtl;
        FailedJobsLimit = failedJobsLimit;
    }

    public string Kind => "redis";

    public int FailureTtl { get; }

    /// <summary><c>rq_failed_jobs_limit</c>: failed records kept per queue, newest first.</summary>
    public int FailedJobsLimit { get; }

    public string Prefix => _prefix;

    /// <summary>Completes when the connection is made; throws a refused login's <see cref="BenchException"/>.</summary>
    public Task ConnectedAsync() => _redis;

    /// <summary>Whether the connection failed for good (a refused login), so the backend must be made again.</summary>
    public bool Refused => _redis.IsFaulted;

    private async ValueTask<IDatabase> DbAsync() => (await _redis).GetDatabase();

    private string JobKey(string id) => _prefix + "job:" + id;

    private string SiteIndex(string site) => _prefix + "jobs:" + site;

    private string Stream(string queue, bool front) => _prefix + "queue:" + queue + (front ? ":front" : "");

    private string WorkerKey(string name) => _prefix + "worker:" + name;

    private IEnumerable<RedisKey> Streams(IReadOnlyList<string> queues) =>
        queues.SelectMany(q => new RedisKey[] { Stream(q, true), Stream(q, false) });

    public async Task<bool> EnqueueAsync(JobRecord job, bool atFront, bool deduplicate, CancellationToken ct = default)
    {
        var args = new List<RedisValue>
        {
            deduplicate ? "1" : "0",
            (job.CreatedAt - DateTime.UnixEpoch).TotalMilliseconds,
            _prefix + "wake",
            job.Queue,
            job.Id,
        };
        foreach (var (k, v) in job.ToFields())
        {
            args.Add(k);
            args.Add(v);
        }
        var result = await (await DbAsync()).ScriptEvaluateAsync(RedisScripts.Enqueue,
            [JobKey(job.Id), Stream(job.Queue, atFront), SiteIndex(job.Site)], [.. args]);
        return (int)result == 1;
    }

    public async Task<JobRecord?> DequeueAsync(IReadOnlyList<string> queues, string worker, CancellationToken ct = default) =>
        (await TakeAsync(queues, worker, 1, ct)) is [var job, ..] ? job : null;

    public async Task<IReadOnlyList<JobRecord>> TakeAsync(IReadOnlyList<string> queues, string worker, int max, CancellationToken ct = default)
    {
        await EnsureGroupsAsync(queues);
        RedisResult result;
        try
        {
            result = await (await DbAsync()).ScriptEvaluateAsync(RedisScripts.Dequeue, StreamKeys(queues, 0),
                [Group, worker, JobRecord.Format(JobRecord.Now()), _prefix, Math.Max(1, max)]);
        }
        catch (RedisServerException e) when (e.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            ForgetGroups();
            return [];
        }
        return Taken(result);
    }

    private static List<JobRecord> Taken(RedisResult result)
    {
        var jobs = new List<JobRecord>();
        if (result.IsNull)
            return jobs;
        foreach (var item in (RedisResult[])result!)
        {
            if (ToRecord((RedisResult[])((RedisResult[])item!)[2]!) is { } job)
                jobs.Add(job);
        }
        return jobs;
    }

    /// <summary>Redis lost its data (restarted without persistence): make the groups again.</summary>
    private void ForgetGroups()
    {
        lock (_gate)
            _groupsMade.Clear();
    }

    /// <summary>The streams of <paramref name="queues"/> in read order, after <paramref name="skip"/> empty slots for other keys.</summary>
    private RedisKey[] StreamKeys(IReadOnlyList<string> queues, int skip)
    {
        var keys = new RedisKey[skip + queues.Count * 2];
        for (var i = 0; i < queues.Count; i++)
        {
            keys[skip + 2 * i] = Stream(queues[i], true);
            keys[skip + 2 * i + 1] = Stream(queues[i], false);
        }
        return keys;
    }

    private static JobRecord? ToRecord(RedisResult[] flat)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Length; i += 2)
            fields[(string)flat[i]!] = (string)flat[i + 1]!;
        return JobRecord.FromFields(fields);
    }

    private async Task EnsureGroupsAsync(IReadOnlyList<string> queues)
    {
        foreach (var stream in Streams(queues))
        {
            var name = (string)stream!;
            lock (_gate)
            {
                if (_groupsMade.Contains(name))
                    continue;
            }
            try
            {
                // From the start of the stream, so jobs enqueued before any worker existed are read.
                await (await DbAsync()).StreamCreateConsumerGroupAsync(stream, Group, "0", createStream: true);
            }
            catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
            {
            }
            lock (_gate)
                _groupsMade.Add(name);
        }
    }

    public async Task WaitForWorkAsync(TimeSpan max, CancellationToken ct = default)
    {
        await EnsureSubscribedAsync();
        Task signal;
        lock (_gate)
            signal = _signal.Task;
        await Task.WhenAny(signal, Task.Delay(max, ct));
        ct.ThrowIfCancellationRequested();
    }

    private async Task EnsureSubscribedAsync()
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 1)
            return;
        await (await _redis).GetSubscriber().SubscribeAsync(_wake, (_, _) =>
        {
            TaskCompletionSource done;
            lock (_gate)
            {
                done = _signal;
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            done.TrySetResult();
        });
    }

    public async Task<IReadOnlyList<JobRecord>> CompleteAsync(JobRecord job, TimeSpan keepFor, IReadOnlyList<string>? takeFrom = null, string? worker = null, int takeMax = 1, CancellationToken ct = default)
    {
        if (job.Stream is null || job.Entry is null)
            throw new InvalidOperationException($"Job {job.Id} was not taken from a stream.");
        var take = takeFrom is { Count: > 0 } && worker is not null;
        if (take)
            await EnsureGroupsAsync(takeFrom!);
        var keys = take ? StreamKeys(takeFrom!, 2) : new RedisKey[2];
        keys[0] = JobKey(job.Id);
        keys[1] = job.Stream;
        var now = JobRecord.Now();
        var args = new List<RedisValue>(20)
        {
            Group, job.Entry, Math.Max(1, (long)keepFor.TotalSeconds), _prefix, FailedJobsLimit,
            JobRecord.Format(now), (long)(now - DateTime.UnixEpoch).TotalMilliseconds, worker ?? "", FailureTtl, Math.Max(1, takeMax),
        };
        // Only what the run changed: the arguments and the rest of the record are already stored.
        foreach (var (k, v) in job.OutcomeFields())
        {
            args.Add(k);
            args.Add(v);
        }
        RedisResult result;
        try
        {
            result = await (await DbAsync()).ScriptEvaluateAsync(RedisScripts.Finish, keys, [.. args]);
        }
        catch (RedisServerException e) when (take && e.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            ForgetGroups();
            throw;
        }
        return take ? Taken(result) : [];
    }

    public async Task<IReadOnlyList<JobRecord>> ReclaimAsync(IReadOnlyList<string> queues, string worker, TimeSpan grace, CancellationToken ct = default)
    {
        await EnsureGroupsAsync(queues);
        var now = JobRecord.Now();
        var result = await (await DbAsync()).ScriptEvaluateAsync(RedisScripts.Reclaim, StreamKeys(queues, 0),
            [Group, worker, JobRecord.Format(now), _prefix, (long)grace.TotalMilliseconds, MaxDeliveries, FailureTtl, FailedJobsLimit, (long)(now - DateTime.UnixEpoch).TotalMilliseconds]);
        var flat = (RedisResult[])result!;
        var jobs = new List<JobRecord>();
        for (var i = 0; i + 2 < flat.Length; i += 3)
        {
            if (await GetAsync((string)flat[i + 2]!, ct) is { } job)
                jobs.Add(job);
        }
        return jobs;
    }

    public async Task<JobRecord?> GetAsync(string id, CancellationToken ct = default)
    {
        var entries = await (await DbAsync()).HashGetAllAsync(JobKey(id));
        return entries.Length == 0 ? null : JobRecord.FromFields(entries.ToDictionary(e => (string)e.Name!, e => (string)e.Value!));
    }

    public async Task<IReadOnlyList<JobRecord>> ListAsync(string site, CancellationToken ct = default)
    {
        var ids = await (await DbAsync()).SortedSetRangeByRankAsync(SiteIndex(site), 0, -1, Order.Descending);
        var batch = (await DbAsync()).CreateBatch();
        var reads = ids.Select(id => batch.HashGetAllAsync(JobKey(id!))).ToList();
        batch.Execute();
        var jobs = new List<JobRecord>();
        var gone = new List<RedisValue>();
        for (var i = 0; i < ids.Length; i++)
        {
            var entries = await reads[i];
            if (entries.Length == 0)
                gone.Add(ids[i]);
            else if (JobRecord.FromFields(entries.ToDictionary(e => (string)e.Name!, e => (string)e.Value!)) is { } job)
                jobs.Add(job);
        }
        // Expired records leave their id in the index; it is trimmed here, when it is noticed.
        if (gone.Count > 0)
            await (await DbAsync()).SortedSetRemoveAsync(SiteIndex(site), [.. gone]);
        return jobs;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        var job = await GetAsync(id, ct);
        if (job is null)
            return false;
        if (job.Status == JobStatus.Queued && job.Stream is not null && job.Entry is not null)
            await (await DbAsync()).StreamDeleteAsync(job.Stream, [job.Entry]);
        await (await DbAsync()).KeyDeleteAsync(JobKey(id));
        await (await DbAsync()).SortedSetRemoveAsync(SiteIndex(job.Site), id);
        return true;
    }

    public async Task<StopOutcome> StopAsync(string id, CancellationToken ct = default)
    {
        var job = await GetAsync(id, ct);
        if (job is null)
            return StopOutcome.NotFound;
        if (job.Status == JobStatus.Queued)
        {
            // The entry stays in the stream; the dequeue script drops entries of canceled jobs.
            await (await DbAsync()).HashSetAsync(JobKey(id), [new("status", JobStatus.Canceled), new("ended_at", JobRecord.Format(JobRecord.Now()))]);
            await (await DbAsync()).KeyExpireAsync(JobKey(id), TimeSpan.FromSeconds(FailureTtl));
            return StopOutcome.Canceled;
        }
        if (job.Status != JobStatus.Started)
            return StopOutcome.NotRunning;
        await (await _redis).GetSubscriber().PublishAsync(_control, "stop:" + id);
        return StopOutcome.StopRequested;
    }

    public async Task<IAsyncDisposable> SubscribeStopsAsync(Action<string> onStop, CancellationToken ct = default)
    {
        var queue = await (await _redis).GetSubscriber().SubscribeAsync(_control);
        queue.OnMessage(m =>
        {
            var text = (string)m.Message!;
            if (text.StartsWith("stop:", StringComparison.Ordinal))
                onStop(text[5..]);
        });
        return new Unsubscribe(queue);
    }

    private sealed class Unsubscribe(ChannelMessageQueue queue) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await queue.UnsubscribeAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Redis is away: a connection that lost its subscriptions has nothing left to drop.
            }
        }
    }

    public async Task<IReadOnlyList<QueueCounts>> CountsAsync(IReadOnlyList<string> queues, CancellationToken ct = default)
    {
        await EnsureGroupsAsync(queues);
        var counts = new List<QueueCounts>();
        foreach (var q in queues)
        {
            long total = 0, pending = 0;
            foreach (var front in new[] { true, false })
            {
                // Entries are deleted when acknowledged, so length minus pending is what waits.
                total += await (await DbAsync()).StreamLengthAsync(Stream(q, front));
                pending += (await (await DbAsync()).StreamPendingAsync(Stream(q, front), Group)).PendingMessageCount;
            }
            counts.Add(new QueueCounts(q, Math.Max(0, total - pending), pending));
        }
        return counts;
    }

    public async Task HeartbeatAsync(WorkerInfo worker, CancellationToken ct = default)
    {
        var key = WorkerKey(worker.Name);
        var batch = (await DbAsync()).CreateBatch();
        var tasks = new List<Task>
        {
            batch.HashSetAsync(key, [.. worker.ToFields().Select(f => new HashEntry(f.Key, f.Value))]),
            batch.KeyExpireAsync(key, WorkerTtl),
            batch.SetAddAsync(_prefix + "workers", worker.Name),
        };
        batch.Execute();
        await Task.WhenAll(tasks);
    }

    public async Task RemoveWorkerAsync(string name, CancellationToken ct = default)
    {
        await (await DbAsync()).KeyDeleteAsync(WorkerKey(name));
        await (await DbAsync()).SetRemoveAsync(_prefix + "workers", name);
    }

    public async Task<IReadOnlyList<WorkerInfo>> WorkersAsync(CancellationToken ct = default)
    {
        var names = await (await DbAsync()).SetMembersAsync(_prefix + "workers");
        var workers = new List<WorkerInfo>();
        foreach (var name in names)
        {
            var entries = await (await DbAsync()).HashGetAllAsync(WorkerKey(name!));
            if (entries.Length == 0)
            {
                await (await DbAsync()).SetRemoveAsync(_prefix + "workers", name);
                continue;
            }
            if (WorkerInfo.FromFields(entries.ToDictionary(e => (string)e.Name!, e => (string)e.Value!)) is { } w)
                workers.Add(w);
        }
        return workers.OrderBy(w => w.Name, StringComparer.Ordinal).ToList();
    }
}
