using System.Diagnostics;
using System.Globalization;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Hosting;

/// <summary>
/// The web roles run with tiered compilation's call counting from the start (what they need under
/// load), every other command with the runtime's default delay; the executable carries the default,
/// and a web role replaces itself, same process, with the setting in its environment.
/// </summary>
public sealed class WebRoleTieringTests
{
    private const string Variable = "DOTNET_TC_CallCountingDelayMs";

    [Fact]
    public async Task ServeFromTheExecutableRunsWithNoDelayUnderTheSameProcessId()
    {
        var environment = await ServeEnvironmentAsync(null);
        Assert.Contains($"{Variable}=0", environment);
    }

    [Fact]
    public async Task AnExplicitDelayIsKept()
    {
        var environment = await ServeEnvironmentAsync("5");
        Assert.Contains($"{Variable}=5", environment);
        Assert.DoesNotContain($"{Variable}=0", environment);
    }

    [Fact]
    public void TheExecutableItselfCarriesTheDefaultDelay()
    {
        // Only the web roles ask for no delay; a short command (backup, health) must not pay for
        // recompiling what it ran once.
        var config = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "bench.runtimeconfig.json"));
        Assert.DoesNotContain("CallCountingDelayMs", config, StringComparison.Ordinal);
    }

    /// <summary>The environment of a <c>bench serve</c> started from the executable, once it answers HTTP.</summary>
    private static async Task<string[]> ServeEnvironmentAsync(string? explicitDelay)
    {
        await using var b = new TempBench();
        var port = Ports.Free();
        var psi = BenchCli.StartInfo(b.Root, "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1");
        psi.FileName = Path.Combine(AppContext.BaseDirectory, "bench");
        psi.ArgumentList.RemoveAt(0);
        psi.Environment.Remove(Variable);
        if (explicitDelay is not null)
            psi.Environment[Variable] = explicitDelay;
        using var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            for (var i = 0; ; i++)
            {
                Assert.False(process.HasExited, "bench serve exited");
                try
                {
                    using var _ = await client.GetAsync($"http://127.0.0.1:{port}/api/method/ping");
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && i < 150)
                {
                    await Task.Delay(100);
                }
            }
            // The process that answers is the one started: replaced in place, not a child.
            return (await File.ReadAllTextAsync($"/proc/{process.Id}/environ")).Split('\0');
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
