using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SharpBench.Jobs;
using SharpBench.Scheduling;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary>
/// <c>bench schedule</c>: the scheduler role. Needs <c>redis_queue</c>; several replicas may run,
/// one leads (Redis lock with a lease) and the others stand by. SIGTERM stops it and hands the
/// lock over at once.
/// </summary>
public static class ScheduleCommand
{
    public static Command Create()
    {
        var command = new Command("schedule", "Run the scheduler: queue every site's due scheduled jobs each tick (scheduler_tick_interval, default 60 s)");
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var common = new SiteConfig(bench.ReadCommonConfig());
            var tick = SchedulerSettings.Tick(common);
            var lease = SchedulerSettings.Lease(common);
            var settings = QueueSettings.For(bench);
            if (settings.RedisQueue is null)
                throw new BenchException("bench schedule needs a Redis queue: set redis_queue (bench set-config -g redis_queue redis://HOST:PORT), or use bench start, which runs the scheduler in-process.");

            using var loggers = LoggerFactory.Create(Logging.Configure);
            var logger = loggers.CreateLogger("bench.schedule");
            Niceness.RaiseForBackgroundRole(bench, logger);
            using var stop = new ShutdownSignal();
            var leadership = new SchedulerLeadership(RedisConnections.Get(settings.RedisQueue), SchedulerLeadership.KeyFor(settings.BenchId), lease, logger,
                SchedulerLeadership.HeartbeatKeyFor(settings.BenchId));
            var scheduler = new Scheduler(bench, BackgroundJobSink.Instance, TimeProvider.System, logger) { MayRun = () => leadership.IsLeader };
            using var service = new SchedulerService(scheduler, tick, leadership, TimeProvider.System, logger);
            await service.StartAsync(CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            await service.StopAsync(CancellationToken.None);
            return 0;
        }));
        return command;
    }
}
