using System.CommandLine;
using SharpBench.Cli.Apps;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary><c>bench new-app NAME</c>: scaffolds apps/NAME, builds it and adds it to sites/apps.txt.</summary>
public static class NewAppCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("app-name") { Description = "The app's name: lower-case letters, digits and '_' (e.g. library_management)" };
        var noBuild = new Option<bool>("--no-build") { Description = "Only write the files; build later with bench build --app NAME" };
        var command = new Command("new-app", "Create a new app in apps/ (C# project, hooks, DocType folder, public/, patches.txt, tests)") { name, noBuild };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var app = parse.GetValue(name)!.Trim();
            if (!AppProject.IsValidName(app) || app == Bench.CoreApp)
                throw new BenchException($"'{app}' is not a valid app name: lower-case letters, digits and '_', starting with a letter (and not {Bench.CoreApp}).");
            var folder = Path.Combine(bench.Root, "apps", app);
            if (Directory.Exists(folder) || bench.Apps.Contains(app))
                throw new BenchException($"An app named {app} already exists in this bench (apps/{app}).");
            bench.EnsureLayout();
            await Progress.RunAsync($"Creating app {app}", async report =>
            {
                AppScaffold.Write(folder, app);
                report($"{app}: files written to apps/{app}");
                if (!parse.GetValue(noBuild))
                {
                    try
                    {
                        await AppBuilder.BuildAsync(bench, app, folder, report, ct);
                    }
                    catch
                    {
                        Directory.Delete(folder, recursive: true);
                        throw;
                    }
                }
                AppGetter.Register(bench, app);
                report($"{app}: added to sites/apps.txt");
            });
            return 0;
        }));
        return command;
    }
}
