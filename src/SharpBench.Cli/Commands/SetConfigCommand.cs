using System.CommandLine;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

public static class SetConfigCommand
{
    public static Command Create()
    {
        var key = new Argument<string>("key") { Description = "Config key, e.g. db_host" };
        var value = new Argument<string>("value") { Description = "Value (a string unless -p is given; 'None' removes the key)" };
        var global = new Option<bool>("--global", "-g") { Description = "Write common_site_config.json instead of the site's config" };
        var parseOpt = new Option<bool>("--parse", "-p") { Description = "Parse the value as JSON (numbers, booleans, lists, objects)" };
        var command = new Command("set-config", "Set a key in a site's config or, with -g, in the common config") { key, value, global, parseOpt };
        command.SetAction((parse, ct) => CliContext.RunAsync(() =>
        {
            var bench = CliContext.Bench();
            var k = parse.GetValue(key)!;
            if (string.IsNullOrWhiteSpace(k))
                throw new BenchException("A config key may not be empty.");
            var raw = parse.GetValue(value)!;
            // Parse before touching any file, so a bad value changes nothing.
            var node = parse.GetValue(parseOpt) ? ConfigValue.Parse(raw) : ConfigValue.Coerce(raw);
            var remove = node is null && !parse.GetValue(parseOpt);
            void Apply(System.Text.Json.Nodes.JsonObject c)
            {
                if (remove)
                    c.Remove(k);
                else
                    c[k] = node?.DeepClone();
            }
            if (parse.GetValue(global))
            {
                bench.EnsureLayout();
                bench.UpdateCommonConfig(Apply);
            }
            else
            {
                foreach (var site in CliContext.SelectedSites(parse, bench))
                    ConfigFile.Update(Path.Combine(bench.SitePath(site), Bench.SiteConfigFile), Apply);
            }
            return Task.FromResult(0);
        }));
        return command;
    }
}
