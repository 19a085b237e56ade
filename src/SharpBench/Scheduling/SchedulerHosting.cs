using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SharpBench.Jobs;
using SharpBench.Sites;

namespace SharpBench.Scheduling;

/// <summary>Wires the scheduler into a host: the embedded one of <c>bench start</c>.</summary>
public static class SchedulerHosting
{
    /// <summary>
    /// Adds the in-process scheduler when the bench has no <c>redis_queue</c> (jobs then run in the
    /// same process, so it is the only scheduler there can be). With Redis, <c>bench schedule</c> runs it.
    /// Throws <see cref="BenchException"/> for a bad <c>scheduler_tick_interval</c>.
    /// </summary>
    public static bool AddEmbeddedScheduler(IServiceCollection services, Bench bench)
    {
        var common = new SiteConfig(bench.ReadCommonConfig());
        if (QueueSettings.For(bench).RedisQueue is not null)
            return false;
        var tick = SchedulerSettings.Tick(common);
        JobBackends.UseEmbedded();
        services.AddHostedService(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("bench.schedule");
            return new SchedulerService(new Scheduler(bench, BackgroundJobSink.Instance, TimeProvider.System, logger), tick, null, TimeProvider.System, logger);
        });
        return true;
    }
}
