using System.Diagnostics.Metrics;
using StackExchange.Redis;

namespace SharpBench.Jobs;

/// <summary>
/// Reads every queue's state from redis_queue when metrics are collected (a scrape), so any role
/// reports the same numbers whether or not it runs jobs: jobs waiting (not yet taken by a
/// worker), jobs started (taken, not yet acknowledged) and the age of the oldest waiting job.
/// A queue is a stream plus its <c>:front</c> stream (docs/jobs.md); finished entries are deleted,
/// so a stream holds exactly the waiting and the started jobs.
/// </summary>
internal sealed class QueueCollector
{
    public const string MeterName = "SharpBench.Queues";
    private const string Group = "workers";
    private readonly IConnectionMultiplexer _redis;
    private readonly QueueSettings _settings;
    private readonly TimeProvider _clock;

    public QueueCollector(IMeterFactory meters, IConnectionMultiplexer redis, QueueSettings settings, TimeProvider? clock = null)
    {
        _redis = redis;
        _settings = settings;
        _clock = clock ?? TimeProvider.System;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("sharpbench.queue.length", () => Observe(s => s.Waiting), "{job}", "Jobs waiting in the queue (not yet taken by a worker)");
        meter.CreateObservableGauge("sharpbench.queue.started", () => Observe(s => s.Started), "{job}", "Jobs taken by a worker and not yet finished");
        meter.CreateObservableGauge("sharpbench.queue.oldest_job_age", () => Observe(s => s.OldestAge), "s", "Age of the oldest waiting job (0 when none waits)");
    }

    public readonly record struct QueueState(string Queue, long Waiting, long Started, double OldestAge);

    private IEnumerable<Measurement<T>> Observe<T>(Func<QueueState, T> pick)
        where T : struct
    {
        List<QueueState> states;
        try
        {
            states = Read();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // No queue numbers while Redis is away: a missing series, not a wrong zero.
            return [];
        }
        return states.Select(s => new Measurement<T>(pick(s), new KeyValuePair<string, object?>("queue", s.Queue)));
    }

    /// <summary>One read per queue and stream; public for the tests.</summary>
    public List<QueueState> Read()
    {
        var db = _redis.GetDatabase();
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var result = new List<QueueState>();
        foreach (var queue in _settings.QueueNames)
        {
            long waiting = 0, started = 0, oldest = long.MaxValue;
            foreach (var key in new[] { Key(queue) + ":front", Key(queue) })
            {
                var length = db.StreamLength(key);
                if (length == 0)
                    continue;
                string? lastDelivered = null;
                long pending = 0;
                try
                {
                    var group = db.StreamGroupInfo(key).FirstOrDefault(g => g.Name == Group);
                    if (group.Name is not null)
                    {
                        lastDelivered = group.LastDeliveredId;
                        pending = group.PendingMessageCount;
                    }
                }
                catch (RedisServerException)
                {
                    // No consumer group yet: no worker ever read this stream.
                }
                waiting += length - pending;
                started += pending;
                var first = db.StreamRange(key, lastDelivered is null or "0-0" ? "-" : "(" + lastDelivered, "+", 1);
                if (first.Length > 0 && MillisOf(first[0].Id) is { } ms)
                    oldest = Math.Min(oldest, ms);
            }
            result.Add(new QueueState(queue, Math.Max(0, waiting), started, oldest == long.MaxValue ? 0 : Math.Max(0, now - oldest) / 1000.0));
        }
        return result;
    }

    private string Key(string queue) => "sb:" + _settings.BenchId + ":queue:" + queue;

    /// <summary>A stream entry id is "milliseconds-sequence", the time Redis added it.</summary>
    private static long? MillisOf(RedisValue id)
    {
        var text = (string?)id;
        var dash = text?.IndexOf('-') ?? -1;
        return dash > 0 && long.TryParse(text.AsSpan(0, dash), out var ms) ? ms : null;
    }
}
