using System.CommandLine;
using SharpBench.CoreApp;
using SharpBench.Install;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

public static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Bring each selected site's tables in line with its apps' DocTypes (adds columns and indexes; never drops data), inside maintenance mode");
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var registry = BenchHost.Sites(bench);
            var errors = new List<string>();
            foreach (var name in CliContext.SelectedSites(parse, bench))
            {
                var site = registry.Find(name) ?? throw new BenchException($"Site {name} does not exist");
                await Progress.RunAsync($"Migrating {name}", async report =>
                {
                    foreach (var error in await SiteMigration.RunAsync(bench, site, report, ct))
                        errors.Add($"{name}: {error}");
                });
            }
            foreach (var error in errors)
                await Console.Error.WriteLineAsync("Error: " + error);
            return errors.Count == 0 ? 0 : 1;
        }));
        return command;
    }
}
