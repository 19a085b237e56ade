using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SharpBench.Scheduling;

/// <summary>
/// The <c>bench schedule</c> loop: a tick every <c>scheduler_tick_interval</c>, run only while
/// this process leads (when a <see cref="SchedulerLeadership"/> is given; the embedded scheduler of
/// <c>bench start</c> is alone and always runs).
/// </summary>
public sealed class SchedulerService(Scheduler scheduler, TimeSpan tick, SchedulerLeadership? leadership, TimeProvider clock, ILogger logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SchedulerLog.Started(logger, tick.TotalSeconds,
            leadership is null ? " (in-process, no leader election)" : $", leader lock {leadership.Key}");
        var leading = leadership is null ? Task.CompletedTask : leadership.RunAsync(stoppingToken);
        if (leadership is not null)
            Metrics.SharpBenchMetrics.WatchLeadership(() => leadership.IsLeader);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (leadership is null || leadership.IsLeader)
                {
                    try
                    {
                        var result = await scheduler.TickAsync(stoppingToken);
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
