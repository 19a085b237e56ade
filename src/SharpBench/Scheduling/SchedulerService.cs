using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpBench.Hosting;
using SharpBench.Jobs;
using SharpBench.Sites;

namespace SharpBench.Scheduling;

/// <summary>
/// What a scheduler role runs with, read once at start (a bad <c>scheduler_tick_interval</c> or
/// <c>scheduler_lease</c> throws a <see cref="BenchException"/>). With <c>redis_queue</c> it joins
/// the leader election like any <c>bench schedule</c> replica; without it, it is the only
/// scheduler there can be (the in-process one of <c>bench start</c>).
/// </summary>
public sealed record SchedulerRole(TimeSpan Tick, TimeSpan Lease, QueueSettings Settings)
{
    public static SchedulerRole For(Bench bench)
    {
        var common = new SiteConfig(bench.ReadCommonConfig());
        return new SchedulerRole(SchedulerSettings.Tick(common), SchedulerSettings.Lease(common), QueueSettings.For(bench));
    }
}

/// <summary>
/// The <c>bench schedule</c> loop: a tick every <c>scheduler_tick_interval</c>, run only while
/// this process leads (with Redis; the embedded scheduler of <c>bench start</c> is alone and
/// always runs). Stopping it hands the leader lock over at once.
/// </summary>
public sealed class SchedulerService(Bench bench, HostState host, SchedulerRole role, RedisConnections redis, IServiceProvider services, TimeProvider clock, ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger("bench.schedule");
        // With Redis it beats on each lease refresh (every third of a lease, leader or standby),
        // alone on each tick; either way three missed beats make the container unhealthy.
        var health = new HealthFile("scheduler", role.Settings.RedisQueue is null ? role.Tick * 3 : role.Lease);
        void Beat() => health.Beat(m => logger.LogWarning("{Warning}", m));
        var leadership = role.Settings.RedisQueue is { } url
            ? new SchedulerLeadership(await redis.QueueAsync(url), SchedulerLeadership.KeyFor(role.Settings.BenchId), role.Lease, logger,
                SchedulerLeadership.HeartbeatKeyFor(role.Settings.BenchId))
            { Heartbeated = Beat }
            : null;
        var scheduler = new Scheduler(bench, host, new BackgroundJobSink(services), clock, logger)
        {
            MayRun = leadership is null ? () => true : () => leadership.IsLeader,
        };
        var tick = role.Tick;
        SchedulerLog.Started(logger, tick.TotalSeconds,
            leadership is null ? " (in-process, no leader election)" : $", leader lock {leadership.Key}");
        var leading = leadership is null ? Task.CompletedTask : leadership.RunAsync(stoppingToken);
        using var watch = leadership is null ? null : Metrics.SharpBenchMetrics.WatchLeadership(() => leadership.IsLeader);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (leadership is null || leadership.IsLeader)
                {
                    try
                    {
                        var result = await scheduler.TickAsync(stoppingToken);
                        if (leadership is null)
                            Beat();
                        Metrics.SharpBenchMetrics.Ticked(result.Enqueued.Count);
                        if (result.Enqueued.Count > 0)
                            SchedulerLog.Ticked(logger, result.Enqueued.Count);
                    }
                    catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                    {
                        SchedulerLog.TickFailed(logger, e);
                    }
                }
                try
                {
                    await Task.Delay(tick, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            await leading;
            SchedulerLog.Stopped(logger);
        }
    }
}
