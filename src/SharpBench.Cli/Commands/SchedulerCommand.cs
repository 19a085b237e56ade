using System.CommandLine;
using SharpBench.CoreApp;
using SharpBench.Scheduling;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary><c>bench --site S scheduler pause|resume|enable|disable|status [--format json] [-v]</c>.</summary>
public static class SchedulerCommand
{
    public static Command Create()
    {
        var state = new Argument<string>("state") { Description = "pause, resume, enable, disable or status" };
        state.AcceptOnlyFromAmong("pause", "resume", "enable", "disable", "status");
        var format = new Option<string>("--format", "-f") { Description = "Output of status: text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var verbose = new Option<bool>("--verbose", "-v") { Description = "With status: say why the scheduler is off" };
        var command = new Command("scheduler", "Pause, resume, enable or disable the scheduler of one site, or show its status") { state, format, verbose };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var name = CliContext.SingleSite(parse, bench);
            var registry = BenchHost.Sites(bench);
            var chosen = parse.GetValue(state)!;
            switch (chosen)
            {
                case "pause" or "resume":
                    SchedulerState.SetPaused(bench, name, chosen == "pause");
                    break;
                case "enable" or "disable":
                    await EnableSchedulerCommand.SetAsync(registry, name, chosen == "enable", ct);
                    break;
                default:
                    var site = registry.Find(name) ?? throw new BenchException($"Site {name} does not exist");
                    string? reason;
                    await using (var db = await site.OpenDatabaseAsync(ct))
                        reason = await SchedulerState.InactiveReasonAsync(site.Config, db, ct);
                    if (parse.GetValue(format) == "json")
                    {
                        Console.WriteLine(SchedulerState.StatusJson(name, reason is null).ToJsonString());
                    }
                    else
                    {
                        Console.WriteLine($"Scheduler is {(reason is null ? "enabled" : "disabled")} for site {name}");
                        if (reason is not null && parse.GetValue(verbose))
                            Console.WriteLine($"Reason: {reason}");
                    }
                    return 0;
            }
            Console.WriteLine($"Scheduler {chosen}d for site {name}");
            return 0;
        }));
        return command;
    }
}
