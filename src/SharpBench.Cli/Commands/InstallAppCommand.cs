using System.CommandLine;
using SharpBench.Apps;
using SharpBench.CoreApp;
using SharpBench.Install;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary><c>bench --site S install-app APP...</c>: installs apps of the bench on the site.</summary>
public static class InstallAppCommand
{
    public static Command Create()
    {
        var apps = new Argument<string[]>("apps") { Description = "Apps of this bench (sites/apps.txt) to install", Arity = ArgumentArity.OneOrMore };
        var command = new Command("install-app", "Install apps of the bench on the site: their DocTypes, scheduled jobs and after_install") { apps };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var registry = BenchHost.Sites(bench);
            foreach (var name in CliContext.SelectedSites(parse, bench))
            {
                var site = registry.Find(name) ?? throw new BenchException($"Site {name} does not exist");
                foreach (var app in parse.GetValue(apps)!)
                {
                    var installed = false;
                    await Progress.RunAsync($"Installing {app} on {name}", async report => installed = await AppInstaller.InstallAsync(bench, site, app, report, ct));
                    Console.WriteLine(installed ? $"Installed {app} on {name}" : $"App {app} already installed on {name}");
                }
            }
            return 0;
        }));
        return command;
    }
}
