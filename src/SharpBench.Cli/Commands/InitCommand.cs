using System.CommandLine;
using SharpBench.Cli.Apps;

namespace SharpBench.Cli.Commands;

/// <summary><c>bench init PATH [--apps_path apps.json]</c>: a new bench, then every app of the file in order.</summary>
public static class InitCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "Folder of the new bench (must not exist, or be empty)" };
        var appsPath = new Option<string?>("--apps_path", "--apps-path") { Description = "frappe_docker's apps.json: [{\"url\": \"...\", \"branch\": \"...\"}], each got with get-app" };
        var command = new Command("init", "Create a new bench with the core app, then get every app of --apps_path") { path, appsPath };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var target = parse.GetValue(path)!;
            await Progress.RunAsync($"Initializing bench {target}", report => BenchInit.InitAsync(target, parse.GetValue(appsPath), report, ct));
            Console.WriteLine($"Bench {Path.GetFullPath(target)} is ready: cd into it, then bench new-site SITE.");
            return 0;
        }));
        return command;
    }
}
