using System.CommandLine;
using SharpBench.Apps;
using SharpBench.CoreApp;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary><c>bench --site S|all list-apps</c>: the apps each site has installed, with their versions.</summary>
public static class ListAppsCommand
{
    public static Command Create()
    {
        var command = new Command("list-apps", "List the apps installed on the site");
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var registry = BenchHost.Sites(bench);
            var sites = CliContext.SelectedSites(parse, bench);
            foreach (var name in sites)
            {
                var site = registry.Find(name) ?? throw new BenchException($"Site {name} does not exist");
                await using var db = await site.OpenDatabaseAsync(ct);
                var apps = await InstalledApps.OfAsync(site.Host.Apps, bench, db, ct);
                if (sites.Count > 1)
                    Console.WriteLine(name);
                foreach (var app in apps)
                    Console.WriteLine($"{(sites.Count > 1 ? "  " : "")}{app.Name,-24} {app.Version}");
            }
            return 0;
        }));
        return command;
    }
}
