using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SharpBench.Tests.Jobs;

namespace SharpBench.Tests.Support;

/// <summary>
/// A redis-server of the test's own, for faults that would disturb the shared one: restarts,
/// a memory limit. Extra arguments are redis-server flags (persistence, maxmemory).
/// </summary>
public sealed class OwnRedis(int port, string dir, params string[] flags) : IAsyncDisposable
{
    private Process? _process;

    public string Url => $"redis://127.0.0.1:{port}";

    public int Port => port;

    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo("redis-server", ["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--dir", dir, .. flags])
        { RedirectStandardOutput = true, UseShellExecute = false };
        _process = Process.Start(psi)!;
        _process.BeginOutputReadLine();
        await JobBench.WaitUntilAsync(async () =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "redis-server up");
    }

    public async Task StopAsync()
    {
        // SIGTERM: Redis flushes the AOF and exits, as a container stop does.
        using var kill = Process.Start("kill", ["-TERM", _process!.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
            await StopAsync();
    }
}
