using System.Diagnostics;
using System.Net;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Http;

public class ServeProcessTests
{
    private static Task WaitForPingAsync(HttpClient client, string url, Process process) => ServeProcess.WaitForPingAsync(client, url, process);

    [Fact]
    public async Task ServeAnswersAndStopsCleanlyOnSigterm()
    {
        await using var bench = new TempBench();
        await bench.CreateSiteAsync(DbKind.Sqlite, setDefault: true);
        var port = Ports.Free();
        using var process = Process.Start(BenchCli.StartInfo(bench.Root, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1"))!;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var stdout = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => stdout.AppendLine(e.Data);
        process.BeginOutputReadLine();
        await WaitForPingAsync(client, $"http://127.0.0.1:{port}/api/method/ping", process);

        Signals.Send(process.Id, Signals.SigTerm);
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(exit.Token);

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("Now listening on", stdout.ToString());
    }

    [Fact]
    public async Task StartCreatesAFirstSiteAndPrintsThePasswordOnce()
    {
        await using var bench = new TempBench();
        var port = Ports.Free();
        using var process = Process.Start(BenchCli.StartInfo(bench.Root, "start", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)))!;
        var stdout = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await WaitForPingAsync(client, $"http://localhost:{port}/api/method/ping", process);
            Assert.Equal("site1.localhost", bench.Bench.DefaultSite);
            string text;
            lock (stdout) text = stdout.ToString();
            var line = text.Split('\n').Single(l => l.Contains("Password:"));
            var password = line.Split("Password:")[1].Trim().Split(' ')[0];
            var site = SharpBench.CoreApp.BenchHost.Sites(bench.Bench).Find("site1.localhost")!;
            await using var db = await site.OpenDatabaseAsync();
            Assert.True(await SharpBench.Model.UserPasswords.CheckPasswordAsync(db, "Administrator", password));
        }
        finally
        {
            // SIGTERM: the same clean stop a container runtime asks for.
            Signals.Send(process.Id, Signals.SigTerm);
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exit.Token);
        }
    }
}
