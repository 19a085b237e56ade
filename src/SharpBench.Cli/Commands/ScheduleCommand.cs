using System.CommandLine;
using SharpBench.Hosting;

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
            var builder = SharpBenchHosting.CreateBackgroundBuilder();
            builder.AddSharpBenchSchedule(bench, standalone: true);
            await RoleHost.RunAsync(builder.Build());
            return 0;
        }));
        return command;
    }
}
