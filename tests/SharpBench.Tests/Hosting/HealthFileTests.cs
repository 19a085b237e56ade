using System.Diagnostics;
using System.Globalization;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Hosting;

/// <summary>
/// The heartbeat files the image's healthchecks read (<c>heartbeat-check ROLE</c>, a shell stat):
/// each long-running role rewrites its file after each successful self-check, stops when the
/// self-check fails, and the probe script judges the file's age by the age the role wrote into it.
/// </summary>
public sealed class HealthFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "sb-health-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string FileOf(string role) => Path.Combine(_dir, role);

    private JobBench NewBench(string? redisUrl = null, System.Text.Json.Nodes.JsonObject? extraCommon = null)
    {
        var jb = new JobBench(redisUrl, extraCommon);
        jb.ProcessEnvironment["SHARPBENCH_HEALTH_DIR"] = _dir;
        return jb;
    }

    private async Task<DateTime> WaitForBeatAsync(string role, Process process, JobBench jb, DateTime after = default)
    {
        await JobBench.WaitUntilAsync(() => Task.FromResult(File.Exists(FileOf(role)) && File.GetLastWriteTimeUtc(FileOf(role)) > after),
            TimeSpan.FromSeconds(30), $"a {role} beat after {after:O} (exited: {process.HasExited}); output:\n{jb.Output}");
        return File.GetLastWriteTimeUtc(FileOf(role));
    }

    private async Task<(int Code, string Output)> ProbeAsync(string role)
    {
        var psi = new ProcessStartInfo("sh", [Script(), role]) { RedirectStandardOutput = true, UseShellExecute = false };
        psi.Environment["SHARPBENCH_HEALTH_DIR"] = _dir;
        using var probe = Process.Start(psi)!;
        var output = await probe.StandardOutput.ReadToEndAsync();
        await probe.WaitForExitAsync();
        return (probe.ExitCode, output.Trim());
    }

    private static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "resources", "core", "heartbeat-check.sh");
            if (File.Exists(script))
                return script;
        }
        throw new FileNotFoundException("resources/core/heartbeat-check.sh above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task AWorkerBeatsWhileRedisTakesItsHeartbeatAndStopsWhenRedisIsGone()
    {
        await using var redis = new OwnRedis();
        await redis.StartAsync();
        await using var jb = NewBench(redis.Url);
        var worker = jb.StartBench("worker", "--queue", "short,default");
        var first = await WaitForBeatAsync("worker", worker, jb);
        Assert.StartsWith("15 worker pid ", await File.ReadAllTextAsync(FileOf("worker")), StringComparison.Ordinal);
        Assert.Equal((0, ""), await ProbeAsync("worker"));
        // Every 5 s while Redis answers.
        var second = await WaitForBeatAsync("worker", worker, jb, first);
        Assert.InRange((second - first).TotalSeconds, 3, 8);

        await redis.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var last = File.GetLastWriteTimeUtc(FileOf("worker"));
        await Task.Delay(TimeSpan.FromSeconds(7));
        Assert.False(worker.HasExited, jb.Output.ToString());
        Assert.Equal(last, File.GetLastWriteTimeUtc(FileOf("worker")));
    }

    [Fact]
    public async Task TheSchedulerBeatsOnEachLeaseRefreshWithItsLeaseAsTheAge()
    {
        await using var jb = NewBench(extraCommon: new() { ["scheduler_lease"] = 3 });
        var scheduler = jb.StartBench("schedule");
        var first = await WaitForBeatAsync("scheduler", scheduler, jb);
        Assert.StartsWith("3 scheduler pid ", await File.ReadAllTextAsync(FileOf("scheduler")), StringComparison.Ordinal);
        await WaitForBeatAsync("scheduler", scheduler, jb, first);
        Assert.Equal((0, ""), await ProbeAsync("scheduler"));
    }

    [Fact]
    public async Task ServeAndSocketioBeatWhenTheyAnswerTheirOwnHealthzWithoutAnyClient()
    {
        await using var jb = NewBench();
        var port = Ports.Free().ToString(CultureInfo.InvariantCulture);
        var serve = jb.StartBench("serve", "--bind", "127.0.0.1", "--port", port);
        var socketio = jb.StartBench("socketio", "--bind", "127.0.0.1", "--port", Ports.Free().ToString(CultureInfo.InvariantCulture));
        foreach (var (role, process) in new[] { ("serve", serve), ("socketio", socketio) })
        {
            var first = await WaitForBeatAsync(role, process, jb);
            Assert.StartsWith($"10 {role} pid ", await File.ReadAllTextAsync(FileOf(role)), StringComparison.Ordinal);
            await WaitForBeatAsync(role, process, jb, first);
            Assert.Equal((0, ""), await ProbeAsync(role));
        }
    }

    [Fact]
    public async Task TheProbeFailsWithItsReasonWhenTheFileIsMissingOrOlderThanItsAge()
    {
        var (code, output) = await ProbeAsync("worker");
        Assert.Equal(1, code);
        Assert.Equal($"no worker heartbeat yet ({FileOf("worker")})", output);

        await File.WriteAllTextAsync(FileOf("worker"), "15 worker pid 1\n");
        Assert.Equal((0, ""), await ProbeAsync("worker"));
        File.SetLastWriteTimeUtc(FileOf("worker"), File.GetLastWriteTimeUtc(FileOf("worker")).AddSeconds(-20));
        (code, output) = await ProbeAsync("worker");
        Assert.Equal(1, code);
        Assert.Matches(@"^worker: last heartbeat 2\ds ago \(more than 15s\)$", output);

        // A fresh file whose age field is not a number is no heartbeat (the shell's test would pass it).
        await File.WriteAllTextAsync(FileOf("worker"), "worker pid 1\n");
        (code, output) = await ProbeAsync("worker");
        Assert.Equal(1, code);
        Assert.Equal($"worker: unreadable heartbeat file {FileOf("worker")}", output);
    }
}
