using SharpBench.Jobs;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Jobs;

/// <summary>
/// A Redis of its own (AOF on, as the compose redis-queue volume gives), restarted under a
/// running worker: the worker reconnects and carries on, and queued jobs survive the restart.
/// </summary>
public sealed class RedisRestartTests
{
    [Fact]
    public async Task Workers_reconnect_after_a_redis_restart_and_queued_jobs_survive_it()
    {
        await using var redis = new OwnRedis("--appendonly", "yes", "--appendfsync", "always");
        await redis.StartAsync();
        await using var bench = new JobBench(redis.Url);
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var file = bench.TempFile("log.txt");
        var worker = bench.StartBench("worker", "--queue", "short");
        var before = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "before" }, new EnqueueOptions { Queue = "short" });
        await JobBench.WaitUntilAsync(async () => (await bench.Backend.GetAsync(before.JobId!))?.Status == JobStatus.Finished, TimeSpan.FromSeconds(30), "job before restart\n" + bench.OutputText);
        // Jobs on a queue nobody works on yet: they must outlive the restart.
        var waiting = new List<string>();
        for (var i = 0; i < 3; i++)
            waiting.Add((await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "kept" + i }, new EnqueueOptions { Queue = "long" })).JobId!);

        await redis.StopAsync();
        await Task.Delay(2000);
        await redis.StartAsync();

        Assert.False(worker.HasExited, bench.OutputText);
        // The test's own connection fails commands at once until it has reconnected (no backlog,
        // see RedisConnections), so it waits for that before reading the counts.
        await JobBench.WaitUntilAsync(async () =>
        {
            try
            {
                await bench.Backend.CountsAsync(["long"]);
                return true;
            }
            catch (StackExchange.Redis.RedisConnectionException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "the test's connection back after the restart");
        Assert.Equal(3, (await bench.Backend.CountsAsync(["long"]))[0].Queued);
        // The running worker picks up new work after the restart.
        var after = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "after" }, new EnqueueOptions { Queue = "short" });
        await JobBench.WaitUntilAsync(async () => (await bench.Backend.GetAsync(after.JobId!))?.Status == JobStatus.Finished, TimeSpan.FromSeconds(60), "job after restart\n" + bench.OutputText);

        Assert.Equal(0, await bench.RunBenchAsync("worker", "--burst", "--queue", "long"));
        foreach (var id in waiting)
            Assert.Equal(JobStatus.Finished, (await bench.Backend.GetAsync(id))!.Status);
        Assert.Equal(["before", "after", "kept0", "kept1", "kept2"], (await File.ReadAllLinesAsync(file)).Select(l => l.Split(' ')[0]));
        await WorkerProcessTests.SignalAsync(worker, "TERM");
        Assert.Equal(0, await WorkerProcessTests.WaitExitAsync(worker, TimeSpan.FromSeconds(30)));
    }
}
