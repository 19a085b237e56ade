using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SharpBench.Jobs;
using SharpBench.Sites;

namespace SharpBench.Scheduling;

/// <summary>Wires the scheduler into a host: the one <c>bench start</c> runs beside the web role and its workers.</summary>
public static class SchedulerHosting
{
    /// <summary>
    /// Adds the in-process scheduler. Without <c>redis_queue</c> the jobs run in this process, so it
    /// is the only scheduler there can be; with Redis it joins the leader election like any
    /// <c>bench schedule</c> replica (as Frappe's Procfile runs <c>bench schedule</c> next to the web role).
    /// Throws <see cref="BenchException"/> for a bad <c>scheduler_tick_interval</c> or <c>scheduler_lease</c>.
    /// </summary>
    public static void AddScheduler(IServiceCollection services, Bench bench)
    {
        var common = new SiteConfig(bench.ReadCommonConfig());
        var tick = SchedulerSettings.Tick(common);
        var lease = SchedulerSettings.Lease(common);
        var settings = QueueSettings.For(bench);
        if (settings.RedisQueue is null)
            JobBackends.UseEmbedded();
        services.AddHostedService(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("bench.schedule");
            var leadership = settings.RedisQueue is { } url
                ? new SchedulerLeadership(RedisConnections.Get(url), SchedulerLeadership.KeyFor(settings.BenchId), lease, logger,
                SchedulerLeadership.HeartbeatKeyFor(settings.BenchId))
                : null;
            var scheduler = new Scheduler(bench, BackgroundJobSink.Instance, TimeProvider.System, logger)
            {
                MayRun = leadership is null ? () => true : () => leadership.IsLeader,
            };
            return new SchedulerService(scheduler, tick, leadership, TimeProvider.System, logger);
        });
    }
}
