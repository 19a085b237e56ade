using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Faults;

/// <summary>
/// Experiment 5 of the fault suite: an app's assembly rebuilt (overwritten in place, as
/// <c>dotnet build -o</c> and <c>cp</c> do) under a running <c>bench serve</c>. The running process
/// keeps executing the build it started with; the next start runs the new one. An app assembly
/// that holds no app stops a role at start with the file named.
/// </summary>
public sealed class AppRebuildTests(ITestOutputHelper output)
{
    private const string AppName = "sb_rebuilt";

    /// <summary>One build of the app: two guest methods answering "<paramref name="build"/> first|second", and <paramref name="padding"/> filler methods so builds differ in layout as real rebuilds do.</summary>
    private static byte[] Build(string build, int padding)
    {
        var source = new StringBuilder($$"""
            using System.Text.Json.Nodes;
            using System.Threading;
            using System.Threading.Tasks;
            using SharpBench;
            using SharpBench.Apps;
            namespace Rebuilt;
            public sealed class RebuiltApp : App { public override string Name => "{{AppName}}"; }
            public static class Filler
            {
            """);
        for (var i = 0; i < padding; i++)
            source.AppendLine(CultureInfo.InvariantCulture, $"    public static string F{i}() => \"{build} filler {i} {new string('x', 64)}\";");
        source.Append($$"""
            }
            public static class Methods
            {
                [Whitelist("{{AppName}}.first", AllowGuest = true)]
                public static Task<object?> First(FrappeContext context, JsonObject kwargs, CancellationToken cancel) => Task.FromResult<object?>("{{build}} first");
                [Whitelist("{{AppName}}.second", AllowGuest = true)]
                public static Task<object?> Second(FrappeContext context, JsonObject kwargs, CancellationToken cancel) => Task.FromResult<object?>("{{build}} second " + Filler.F0().Length);
            }
            """);
        return AppCompiler.Compile(AppName, source.ToString());
    }

    private static async Task<(HttpStatusCode Status, string Body)> CallAsync(int port, string site, string method)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/api/method/{AppName}.{method}");
        request.Headers.Add("X-Frappe-Site-Name", site);
        try
        {
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException e)
        {
            return (0, e.Message);
        }
    }

    private static string Message(string body) => JsonNode.Parse(body)!["message"]!.GetValue<string>();

    [Fact]
    public async Task Overwriting_an_apps_assembly_under_a_running_serve_changes_nothing_until_the_next_start()
    {
        await using var jb = new JobBench();
        var site = await jb.CreateSiteAsync();
        var dll = Path.Combine(jb.Root, "apps", AppName, AppName + ".dll");
        Directory.CreateDirectory(Path.GetDirectoryName(dll)!);
        await File.WriteAllBytesAsync(dll, Build("v1", padding: 5));
        await File.AppendAllTextAsync(Path.Combine(jb.Bench.SitesPath, "apps.txt"), AppName + "\n");

        var port = Ports.Free();
        var serve = jb.StartBench("serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1");
        await JobBench.WaitUntilAsync(async () => (await CallAsync(port, site.Name, "first")).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "bench serve answers the app's method\n" + jb.OutputText);
        Assert.Equal("v1 first", Message((await CallAsync(port, site.Name, "first")).Body));

        // The rebuild writes the same file in place (same inode, truncated), with another layout.
        await using (var file = new FileStream(dll, FileMode.Truncate, FileAccess.Write))
            await file.WriteAsync(Build("v2", padding: 300));

        // A method the running process never ran before still comes from the build it started with.
        var (status, body) = await CallAsync(port, site.Name, "second");
        output.WriteLine($"after the overwrite: {(int)status} {body}");
        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body}\n{jb.OutputText}");
        Assert.StartsWith("v1 second", Message(body), StringComparison.Ordinal);
        Assert.Equal("v1 first", Message((await CallAsync(port, site.Name, "first")).Body));
        Assert.False(serve.HasExited);

        Signals.Send(serve.Id, Signals.SigTerm);
        await serve.WaitForExitAsync();
        jb.StartBench("serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1");
        await JobBench.WaitUntilAsync(async () => (await CallAsync(port, site.Name, "second")).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the restarted serve answers\n" + jb.OutputText);
        Assert.StartsWith("v2 second", Message((await CallAsync(port, site.Name, "second")).Body), StringComparison.Ordinal);
        FaultSuite.Report(output, "app-rebuild", ("overwrites", 1), ("running_process_failures", 0), ("new_build_after_restart", 1));
    }

    [Fact]
    public async Task An_app_assembly_that_holds_no_app_stops_the_role_with_the_file_named()
    {
        await using var jb = new JobBench();
        var dll = Path.Combine(jb.Root, "apps", "sb_empty", "sb_empty.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(dll)!);
        // What `dotnet build -o <the project's own folder>` produces: an assembly that compiled no sources.
        await File.WriteAllBytesAsync(dll, AppCompiler.Compile("sb_empty", "namespace Empty;"));
        await File.AppendAllTextAsync(Path.Combine(jb.Bench.SitesPath, "apps.txt"), "sb_empty\n");

        var exit = await jb.RunBenchAsync("worker", "--burst");

        Assert.Equal(1, exit);
        Assert.Contains(dll + " holds no app", jb.OutputText, StringComparison.Ordinal);
    }
}
