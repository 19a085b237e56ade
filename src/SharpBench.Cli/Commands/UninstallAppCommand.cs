using System.CommandLine;
using SharpBench.Apps;
using SharpBench.Backups;
using SharpBench.CoreApp;
using SharpBench.Install;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary>
/// <c>bench --site S uninstall-app APP [--yes] [--no-backup]</c>: backs the site up, then removes
/// the app's DocTypes and their data from it. Asks first unless <c>--yes</c>.
/// </summary>
public static class UninstallAppCommand
{
    public static Command Create()
    {
        var app = new Argument<string>("app") { Description = "The app to remove from the site" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation" };
        var noBackup = new Option<bool>("--no-backup") { Description = "Do not back up the site first" };
        var command = new Command("uninstall-app", "Remove an app and all its DocTypes and their data from the site") { app, yes, noBackup };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var name = CliContext.SingleSite(parse, bench);
            var appName = parse.GetValue(app)!;
            var site = BenchHost.Sites(bench).Find(name) ?? throw new BenchException($"Site {name} does not exist");
            if (appName == Bench.CoreApp)
                throw new BenchException($"The core app {Bench.CoreApp} cannot be uninstalled.");
            await using (var db = await site.OpenDatabaseAsync(ct))
            {
                if (!(await InstalledApps.OfAsync(site.Host.Apps, bench, db, ct)).Any(a => a.Name == appName))
                {
                    Console.WriteLine($"App {appName} not installed on Site {name}");
                    return 0;
                }
            }
            if (!parse.GetValue(yes) && !Prompts.Confirm($"All DocTypes and data of {appName} will be deleted from {name}. Are you sure you want to continue?"))
            {
                Console.WriteLine("Aborted; nothing was changed.");
                return 1;
            }
            if (!parse.GetValue(noBackup))
            {
                await Progress.RunAsync($"Backing up {name}", async report =>
                {
                    var set = await new SiteBackup(bench, report).TakeAsync(site, new BackupOptions(), ct);
                    report($"Backup: {set.Database}");
                });
            }
            await Progress.RunAsync($"Uninstalling {appName} from {name}", report => AppInstaller.UninstallAsync(bench, site, appName, report, ct));
            Console.WriteLine($"Uninstalled {appName} from {name}");
            return 0;
        }));
        return command;
    }
}
