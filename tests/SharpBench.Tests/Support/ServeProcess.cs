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
        var port = FreePort();
        var process = Process.Start(BenchCli.StartInfo(benchRoot, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1"))!;
        process.BeginOutputReadLine();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await WaitForPingAsync(client, $"http://127.0.0.1:{port}/api/method/ping", process);
        return new ServeProcess(process, port);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
