using System.CommandLine;
using Spectre.Console;

namespace SharpBench.Cli.Commands;

public static class ShowConfigCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format", "-f") { Description = "text (a table) or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("show-config", "Print a site's merged config (common config, then the site's over it)") { format };
        command.SetAction((parse, ct) => CliContext.RunAsync(() =>
        {
            var bench = CliContext.Bench();
            foreach (var site in CliContext.SelectedSites(parse, bench))
            {
                var config = bench.SiteConfig(site);
                if (parse.GetValue(format) == "json")
                {
                    Console.WriteLine(config.Values.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                    continue;
                }
                var table = new Table().Title(Markup.Escape(site)).AddColumn("Config").AddColumn("Value");
                foreach (var (k, v) in config.Values.OrderBy(p => p.Key, StringComparer.Ordinal))
                    table.AddRow(Markup.Escape(k), Markup.Escape(v is System.Text.Json.Nodes.JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "null"));
                AnsiConsole.Write(table);
            }
            return Task.FromResult(0);
        }));
        return command;
    }
}
