using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SharpBench.Metrics;

/// <summary>
/// The instruments the roles record into, on the meter <c>SharpBench</c>. Recording costs next to
/// nothing until a listener exists, which is only when <c>metrics_port</c> / <c>--metrics-port</c>
/// starts <see cref="MetricsServer"/>. They are static because the job, scheduler and realtime
/// code that records them is not built through dependency injection; the scrape-time collectors
/// (<see cref="QueueCollector"/>) come from an <see cref="IMeterFactory"/>.
/// </summary>
internal static class SharpBenchMetrics
{
    public const string MeterName = "SharpBench";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Requests the web backend answered, by route class and status class (docs/metrics.md).</summary>
    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "sharpbench.http.request.duration", "s", "Time to answer a request, by route class and status class");

    public static readonly Counter<long> JobsEnded = Meter.CreateCounter<long>(
        "sharpbench.jobs", "{job}", "Jobs that ended, by queue and status (finished, failed, canceled)");

    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>(
        "sharpbench.job.duration", "s", "Time a job ran, by queue and status");

    public static readonly Counter<long> RealtimeDeliveries = Meter.CreateCounter<long>(
        "sharpbench.realtime.deliveries", "{message}", "Messages written to sockets (one published event to a room of N sockets counts N)");

    public static readonly Counter<long> RealtimeEvents = Meter.CreateCounter<long>(
        "sharpbench.realtime.events", "{event}", "Published events this realtime server delivered");

    public static readonly Counter<long> SchedulerTicks = Meter.CreateCounter<long>(
        "sharpbench.scheduler.ticks", "{tick}", "Scheduler ticks this process ran as the leader");

    public static readonly Counter<long> SchedulerJobsQueued = Meter.CreateCounter<long>(
        "sharpbench.scheduler.jobs_queued", "{job}", "Scheduled jobs this process queued");

    // One meter per process, as Prometheus scrapes a process: each host's scheduler and realtime server adds its source while it runs.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<object, Func<bool>> Leaders = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<object, Func<int>> SocketCounts = new();

    public static readonly ObservableGauge<int> SchedulerLeader = Meter.CreateObservableGauge(
        "sharpbench.scheduler.leader", ObserveLeader, "{leader}", "1 while this scheduler holds the leader lock, 0 while it stands by");

    public static readonly ObservableGauge<int> RealtimeSockets = Meter.CreateObservableGauge(
        "sharpbench.realtime.sockets", ObserveSockets, "{socket}", "Sockets connected to this realtime server");

    private static IEnumerable<Measurement<int>> ObserveLeader() =>
        Leaders.IsEmpty ? [] : [new Measurement<int>(Leaders.Values.Any(f => f()) ? 1 : 0)];

    private static IEnumerable<Measurement<int>> ObserveSockets() =>
        SocketCounts.IsEmpty ? [] : [new Measurement<int>(SocketCounts.Values.Sum(f => f()))];

    /// <summary>A scheduler's leadership, read at each scrape until the returned handle is disposed.</summary>
    public static IDisposable WatchLeadership(Func<bool> isLeader) => Watch(Leaders, isLeader);

    /// <summary>A realtime server's connected sockets, counted at each scrape until the returned handle is disposed.</summary>
    public static IDisposable WatchSockets(Func<int> sockets) => Watch(SocketCounts, sockets);

    private static Unwatch Watch<T>(System.Collections.Concurrent.ConcurrentDictionary<object, T> sources, T source)
    {
        var key = new object();
        sources[key] = source;
        return new Unwatch(() => sources.TryRemove(key, out _));
    }

    private sealed class Unwatch(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }

    public static void JobEnded(string queue, string status, TimeSpan elapsed)
    {
        var tags = new TagList { { "queue", queue }, { "status", status } };
        JobsEnded.Add(1, tags);
        JobDuration.Record(elapsed.TotalSeconds, tags);
    }

    public static void Delivered(int sockets)
    {
        RealtimeEvents.Add(1);
        RealtimeDeliveries.Add(sockets);
    }

    public static void Ticked(int queued)
    {
        SchedulerTicks.Add(1);
        if (queued > 0)
            SchedulerJobsQueued.Add(queued);
    }
}
