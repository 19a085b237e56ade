using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Faults;

/// <summary>
/// Experiment 6 of the fault suite: 8 clients (soak: 16) each opening a new connection per
/// <c>GET /api/method/ping</c> while <c>bench serve</c> restarts on the same port. Counted per
/// restart: answered, refused connections, connections reset or closed without an answer, and
/// non-200 answers. A plain restart (SIGTERM, then start) refuses connections for as long as the
/// port has no listener; the documented restart (<c>--reuse-port</c>: start the new process, wait
/// until it answers, then SIGTERM the old) must refuse none.
/// </summary>
public sealed class ServeRestartTests(ITestOutputHelper output)
{
    private sealed class Counts
    {
        public int Ok;
        public int Refused;
        public int Reset;
        public int Non200;

        public override string ToString() => $"ok={Ok} refused={Refused} reset={Reset} non200={Non200}";
    }

    private static int Clients => FaultSuite.Soak ? 16 : 8;

    private static async Task HammerAsync(int port, string site, Counts counts, CancellationToken stop)
    {
        var request = Encoding.ASCII.GetBytes($"GET /api/method/ping HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Frappe-Site-Name: {site}\r\nConnection: close\r\n\r\n");
        var buffer = new byte[4096];
        while (!stop.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                await socket.SendAsync(request, SocketFlags.None, timeout.Token);
                var answer = new StringBuilder();
                int n;
                while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
                    answer.Append(Encoding.ASCII.GetString(buffer, 0, n));
                if (answer.Length == 0)
                    Interlocked.Increment(ref counts.Reset);
                else if (answer.ToString().StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                    Interlocked.Increment(ref counts.Ok);
                else
                    Interlocked.Increment(ref counts.Non200);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                Interlocked.Increment(ref counts.Refused);
                // A client retrying after a short pause, not a busy loop that would count thousands.
                await Task.Delay(10, CancellationToken.None);
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref counts.Reset);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref counts.Reset);
            }
        }
    }

    private static Process StartServe(JobBench jb, int port, bool reusePort) =>
        reusePort
            ? jb.StartBench("serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--reuse-port")
            : jb.StartBench("serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1");

    /// <summary>Waits until <paramref name="serve"/> itself listens: Kestrel logs the address once bound.</summary>
    private static Task WaitListeningAsync(JobBench jb, Process serve) =>
        JobBench.WaitUntilAsync(() =>
        {
            Assert.False(serve.HasExited, "bench serve exited:\n" + jb.OutputText);
            return Task.FromResult(ListeningLines(jb) > 0);
        }, TimeSpan.FromSeconds(60), "bench serve listens\n" + jb.OutputText);

    private static int ListeningLines(JobBench jb) =>
        jb.OutputText.Split('\n').Count(l => l.Contains("Now listening on", StringComparison.Ordinal));

    private static async Task StopAsync(Process serve)
    {
        Signals.Send(serve.Id, Signals.SigTerm);
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await serve.WaitForExitAsync(exit.Token);
    }

    private async Task<Counts> RestartUnderLoadAsync(bool reusePort, int round)
    {
        await using var jb = new JobBench();
        var site = await jb.CreateSiteAsync();
        var port = Ports.Free();
        var old = StartServe(jb, port, reusePort);
        await WaitListeningAsync(jb, old);
        var counts = new Counts();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(() => HammerAsync(port, site.Name, counts, stop.Token))).ToArray();
        await Task.Delay(1000);
        var clock = Stopwatch.StartNew();
        if (reusePort)
        {
            // The documented restart: the new process binds beside the old, answers, then the old drains.
            var fresh = StartServe(jb, port, reusePort: true);
            await JobBench.WaitUntilAsync(() =>
            {
                Assert.False(fresh.HasExited, "the second bench serve exited:\n" + jb.OutputText);
                return Task.FromResult(ListeningLines(jb) > 1);
            }, TimeSpan.FromSeconds(60), "the second bench serve listens\n" + jb.OutputText);
            await StopAsync(old);
        }
        else
        {
            await StopAsync(old);
            var fresh = StartServe(jb, port, reusePort: false);
            await JobBench.WaitUntilAsync(() => Task.FromResult(ListeningLines(jb) > 1 || fresh.HasExited), TimeSpan.FromSeconds(60), "the new bench serve listens\n" + jb.OutputText);
        }
        var restart = clock.Elapsed;
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        FaultSuite.Report(output, $"serve-restart {(reusePort ? "reuse-port" : "stop-then-start")} round {round}",
            ("clients", Clients), ("ok", counts.Ok), ("refused", counts.Refused), ("reset", counts.Reset), ("non200", counts.Non200), ("restart_seconds", Math.Round(restart.TotalSeconds, 1)));
        return counts;
    }

    [Fact]
    public async Task A_restart_with_reuse_port_refuses_no_connection()
    {
        for (var round = 1; round <= FaultSuite.Rounds; round++)
        {
            // The plain restart first, as the baseline the counts are read against (not asserted).
            await RestartUnderLoadAsync(reusePort: false, round);
            var counts = await RestartUnderLoadAsync(reusePort: true, round);
            Assert.True(counts.Ok > 0, counts.ToString());
            Assert.Equal(0, counts.Refused);
            Assert.Equal(0, counts.Reset);
            Assert.Equal(0, counts.Non200);
        }
    }
}
