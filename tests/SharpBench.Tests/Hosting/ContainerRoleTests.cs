using System.Diagnostics;
using System.Net;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Hosting;

/// <summary>
/// What the image's healthchecks and start script rely on: <c>bench health worker|scheduler</c>
/// reading the roles' heartbeats in Redis, and <c>bench serve --timeout</c> (GUNICORN_TIMEOUT).
/// </summary>
public class ContainerRoleTests
{
    private static async Task<(int Code, string Output)> HealthAsync(JobBench jb, string role)
    {
        var r = await BenchCli.RunAsync(jb.Root, "health", role);
        return (r.ExitCode, r.Output);
    }

    private static async Task WaitHealthyAsync(JobBench jb, string role) =>
        await JobBench.WaitUntilAsync(async () => (await HealthAsync(jb, role)).Code == 0, TimeSpan.FromSeconds(30), $"bench health {role} exits 0");

    [Fact]
    public async Task HealthWorkerIsZeroOnlyWhileAWorkerOnThisHostHeartbeats()
    {
        await using var jb = new JobBench();
        var (code, output) = await HealthAsync(jb, "worker");
        Assert.Equal(1, code);
        Assert.Contains($"No worker on {Environment.MachineName} heartbeated within 15 s", output, StringComparison.Ordinal);

        var worker = jb.StartBench("worker", "--queue", "short,default");
        await WaitHealthyAsync(jb, "worker");
        (code, output) = await HealthAsync(jb, "worker");
        Assert.Equal(0, code);
        Assert.Contains("(short,default, idle): heartbeat", output, StringComparison.Ordinal);

        // A stopped worker unregisters, so the check fails at once rather than after the record's TTL.
        Signals.Send(worker.Id, Signals.SigTerm);
        await worker.WaitForExitAsync();
        Assert.Equal(1, (await HealthAsync(jb, "worker")).Code);
    }

    [Fact]
    public async Task HealthSchedulerIsZeroWhileBenchScheduleRunsLeaderOrStandby()
    {
        await using var jb = new JobBench(extraCommon: new() { ["scheduler_lease"] = 3 });
        var (code, output) = await HealthAsync(jb, "scheduler");
        Assert.Equal(1, code);
        Assert.Contains($"No scheduler on {Environment.MachineName} heartbeated within 3 s", output, StringComparison.Ordinal);

        var scheduler = jb.StartBench("schedule");
        await WaitHealthyAsync(jb, "scheduler");
        Assert.Contains("(leader): heartbeat", (await HealthAsync(jb, "scheduler")).Output, StringComparison.Ordinal);

        // Killed without a word: the heartbeat lives one lease, then the check fails.
        scheduler.Kill(entireProcessTree: true);
        await JobBench.WaitUntilAsync(async () => (await HealthAsync(jb, "scheduler")).Code == 1, TimeSpan.FromSeconds(10), "the dead scheduler's heartbeat expires");
    }

    [Fact]
    public async Task HealthWithoutRedisQueueSaysSo()
    {
        await using var jb = new JobBench(redisUrl: "");
        var (code, output) = await HealthAsync(jb, "worker");
        Assert.Equal(1, code);
        Assert.Contains("Error: redis_queue is not set, so no worker can heartbeat.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeTimeoutAnswers504ForARequestThatRunsTooLong()
    {
        await using var jb = new JobBench();
        var site = await jb.CreateSiteAsync();
        var port = Ports.Free();
        var serve = jb.StartBench("serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--timeout", "1");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Add("X-Frappe-Site-Name", site.Name);
        var url = $"http://127.0.0.1:{port}/api/method/sb_test_app.web.sleep";
        await ServeProcess.WaitForPingAsync(client, $"http://127.0.0.1:{port}/api/method/ping", serve);

        Assert.Equal("{\"message\":\"slept\"}", await client.GetStringAsync(url + "?ms=10"));
        var sw = Stopwatch.StartNew();
        using var slow = await client.GetAsync(url + "?ms=10000");
        Assert.Equal(HttpStatusCode.GatewayTimeout, slow.StatusCode);
        Assert.InRange(sw.Elapsed.TotalSeconds, 0.9, 5);

        var refused = await BenchCli.RunAsync(jb.Root, "serve", "--timeout", "0");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--timeout must be a positive number of seconds.", refused.Output, StringComparison.Ordinal);
    }
}
