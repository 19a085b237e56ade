using System.CommandLine;
using SharpBench.Cli.Apps;

namespace SharpBench.Cli.Commands;

/// <summary><c>bench get-app URL|PATH [--branch B]</c>: clone, build, and add to sites/apps.txt.</summary>
public static class GetAppCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("git-url") { Description = "A git URL (a token in it is never printed or kept) or a local path" };
        var branch = new Option<string?>("--branch", "-b") { Description = "Branch or tag to check out" };
        var command = new Command("get-app", "Clone an app into apps/, build it, and add it to sites/apps.txt") { source, branch };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            bench.EnsureLayout();
            var url = parse.GetValue(source)!;
            await Progress.RunAsync($"Getting {GitUrl.Redact(url)}", report => AppGetter.GetAsync(bench, url, parse.GetValue(branch), report, ct));
            return 0;
        }));
        return command;
    }
}
