using System.CommandLine;
using SharpBench.CoreApp;
using SharpBench.Scheduling;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary><c>bench --site S enable-scheduler</c> and <c>disable-scheduler</c>: System Settings <c>enable_scheduler</c>.</summary>
public static class EnableSchedulerCommand
{
    public static Command Create(bool enable)
    {
        var command = new Command(enable ? "enable-scheduler" : "disable-scheduler",
            enable ? "Turn the scheduler on for the selected sites (System Settings enable_scheduler)" : "Turn the scheduler off for the selected sites");
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var registry = BenchHost.Sites(bench);
            foreach (var name in CliContext.SelectedSites(parse, bench))
            {
                await SetAsync(registry, name, enable, ct);
                Console.WriteLine($"{(enable ? "Enabled" : "Disabled")} for {name}");
            }
            return 0;
        }));
        return command;
    }

    public static async Task SetAsync(SiteRegistry registry, string name, bool enable, CancellationToken ct)
    {
        var site = registry.Find(name) ?? throw new BenchException($"Site {name} does not exist");
        await using var db = await site.OpenDatabaseAsync(ct);
        await SchedulerState.SetEnabledAsync(db, enable, ct);
    }
}
