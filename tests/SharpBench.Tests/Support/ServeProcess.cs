using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SharpBench.Tests.Support;

/// <summary>A real <c>bench serve</c> process on a free loopback port, stopped with SIGTERM on dispose.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private ServeProcess(Process process, int port)
    {
        Process = process;
        Port = port;
    }

    public Process Process { get; }
    public int Port { get; }
    public Uri BaseUri => new($"http://127.0.0.1:{Port}");

    public static async Task<ServeProcess> StartAsync(string benchRoot)
    {
        var port = Ports.Free();
        var process = Process.Start(BenchCli.StartInfo(benchRoot, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1"))!;
        process.BeginOutputReadLine();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await WaitForPingAsync(client, $"http://127.0.0.1:{port}/api/method/ping", process);
        return new ServeProcess(process, port);
    }

    public static async Task WaitForPingAsync(HttpClient client, string url, Process process)
    {
        for (var i = 0; i < 150; i++)
        {
            if (process.HasExited)
                Assert.Fail("bench exited early: " + await process.StandardError.ReadToEndAsync());
            try
            {
                using var r = await client.GetAsync(url);
                if (r.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        Assert.Fail("bench never answered " + url);
    }

    /// <summary>
    /// Logs in as Administrator (password <c>admin</c>) once the server answers, retrying while it
    /// starts; returns the <c>sid=…</c> cookie pair.
    /// </summary>
    public static async Task<string> LoginWhenUpAsync(HttpClient http, string waitingFor)
    {
        HttpResponseMessage? login = null;
        await Jobs.JobBench.WaitUntilAsync(async () =>
        {
            try
            {
                login = await http.PostAsync("/api/method/login", new StringContent("{\"usr\":\"Administrator\",\"pwd\":\"admin\"}", System.Text.Encoding.UTF8, "application/json"));
                return login.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), waitingFor);
        return login!.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("sid=", StringComparison.Ordinal)).Split(';')[0];
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Signals.Send(Process.Id, Signals.SigTerm);
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await Process.WaitForExitAsync(exit.Token);
            }
            catch (OperationCanceledException)
            {
                Process.Kill(entireProcessTree: true);
            }
        }
        Process.Dispose();
    }
}
