using System.CommandLine;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary><c>bench --site S|all set-maintenance-mode on|off</c>: <c>maintenance_mode</c> in the site config, as Frappe's.</summary>
public static class SetMaintenanceModeCommand
{
    public static Command Create()
    {
        var state = new Argument<string>("state") { Description = "on or off" };
        state.AcceptOnlyFromAmong("on", "off");
        var command = new Command("set-maintenance-mode", "Put sites in maintenance mode (web answers 503, jobs and the scheduler leave them alone) or take them out") { state };
        command.SetAction((parse, ct) => CliContext.RunAsync(() =>
        {
            var bench = CliContext.Bench();
            var on = parse.GetValue(state) == "on";
            foreach (var name in CliContext.SelectedSites(parse, bench))
            {
                MaintenanceMode.Set(bench, name, on);
                Console.WriteLine($"Maintenance mode {(on ? "on" : "off")} for {name}");
            }
            return Task.FromResult(0);
        }));
        return command;
    }
}
