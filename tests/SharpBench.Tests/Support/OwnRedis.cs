using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SharpBench.Tests.Jobs;

namespace SharpBench.Tests.Support;

/// <summary>
/// A redis-server of the test's own, on a free port with a throwaway data folder, for faults that
/// would disturb the shared one: restarts, a memory limit. The arguments are redis-server flags
/// (persistence, maxmemory). Disposing stops it and deletes its folder.
/// </summary>
public sealed class OwnRedis(params string[] flags) : IAsyncDisposable
{
    private readonly int _port = Ports.Free();
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "sb-redis-" + Guid.NewGuid().ToString("N")[..8])).FullName;
    private Process? _process;

    public string Url => $"redis://127.0.0.1:{_port}";

    public int Port => _port;

    /// <summary>The running server's process id (to pause it with SIGSTOP, as a hung host would).</summary>
    public int Pid => _process!.Id;

    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo("redis-server", ["--bind", "127.0.0.1", "--port", _port.ToString(CultureInfo.InvariantCulture), "--save", "", "--dir", _dir, .. flags])
        { RedirectStandardOutput = true, UseShellExecute = false };
        _process = Process.Start(psi)!;
        _process.BeginOutputReadLine();
        await JobBench.WaitUntilAsync(async () =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _port);
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
        Directory.Delete(_dir, recursive: true);
    }
}
