using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.CoreApp;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary>
/// <c>bench --site S execute METHOD [--kwargs JSON]</c>: runs a registered method once as
/// Administrator, commits, and prints its result as JSON (nothing when it returns null).
/// </summary>
public static class ExecuteCommand
{
    public static Command Create()
    {
        var method = new Argument<string>("method") { Description = "Dotted name of a registered method" };
        var kwargs = new Option<string?>("--kwargs") { Description = "Keyword arguments as a JSON object" };
        var command = new Command("execute", "Run a method of the site once and print its result") { method, kwargs };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var siteName = CliContext.SingleSite(parse, bench);
            var name = parse.GetValue(method)!;
            var site = BenchHost.Sites(bench).Find(siteName) ?? throw new BenchException($"Site {siteName} does not exist");
            var registered = site.Host.Methods.Find(name) ?? throw new BenchException($"Method {name} is not registered (is its app in sites/apps.txt and under apps/?)");
            JsonObject arguments;
            try
            {
                arguments = parse.GetValue(kwargs) is { } text
                    ? JsonNode.Parse(text) as JsonObject ?? throw new BenchException("--kwargs must be a JSON object, e.g. '{\"name\": \"x\"}'.")
                    : [];
            }
            catch (JsonException e)
            {
                throw new BenchException($"--kwargs is not valid JSON: {e.Message.Split(" Path:")[0]}");
            }
            await using var context = new FrappeContext(site, "Administrator");
            object? result;
            try
            {
                result = await registered.Invoke(context, arguments, ct);
                await context.CommitAsync(ct);
            }
            catch (FrappeException e)
            {
                await context.RollbackAsync(CancellationToken.None);
                throw new BenchException($"{e.ExcType}: {e.Message}");
            }
            if (result is not null)
                Console.WriteLine(result is JsonNode node ? node.ToJsonString() : JsonSerializer.Serialize(result, result.GetType()));
            return 0;
        }));
        return command;
    }
}
