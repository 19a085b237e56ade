using System.CommandLine;

namespace SharpBench.Cli.Commands;

public static class UseCommand
{
    public static Command Create()
    {
        var site = new Argument<string>("site") { Description = "The site to make the default" };
        var command = new Command("use", "Set the default site (default_site in common config, and currentsite.txt)") { site };
        command.SetAction((parse, ct) => CliContext.RunAsync(() =>
        {
            var name = parse.GetValue(site)!;
            Sites.SiteName.Validate(name);
            CliContext.Bench().Use(name);
            Console.WriteLine($"Current site set to {name}");
            return Task.FromResult(0);
        }));
        return command;
    }
}
