using System.CommandLine;
using SharpBench.CoreApp;
using SharpBench.Scheduling;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary>
/// <c>bench --site S trigger-scheduler-event METHOD</c>: runs one Scheduled Job Type now, in this
/// process, with its log. A failure prints the error and exits 1 (Frappe's run would look fine).
/// </summary>
public static class TriggerSchedulerEventCommand
{
    public static Command Create()
    {
        var method = new Argument<string>("event") { Description = "The job's method (or Scheduled Job Type name), e.g. frappe.sessions.clear_expired_sessions" };
        var command = new Command("trigger-scheduler-event", "Run a scheduled job now on the selected sites") { method };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var registry = BenchHost.Sites(bench);
            var eventName = parse.GetValue(method)!;
            var exit = 0;
            foreach (var name in CliContext.SelectedSites(parse, bench))
            {
                var site = registry.Find(name) ?? throw new BenchException($"Site {name} does not exist");
                await using var ctx = new FrappeContext(site, "Administrator");
                try
                {
                    await new ScheduledJobRunner(TimeProvider.System).RunAsync(ctx, eventName, ct);
                    Console.WriteLine($"Ran {eventName} for {name}");
                }
                catch (DoesNotExistError)
                {
                    await Console.Error.WriteLineAsync($"Event {eventName} does not exist for {name}!");
                    exit = 1;
                }
                catch (ScheduledJobFailedException e)
                {
                    await Console.Error.WriteLineAsync($"Error: {e.Message} (site {name}; see its Scheduled Job Log and Error Log)");
                    exit = 1;
                }
            }
            return exit;
        }));
        return command;
    }
}
