using System.Diagnostics;
using System.Text.Json.Nodes;
using SharpBench.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Jobs;

/// <summary>
/// A worker asked to stop while Redis is down: the job it runs finishes, its outcome cannot be
/// stored, and the worker still exits within its grace (the queue's timeout plus the reclaim
/// grace) instead of retrying for ten minutes; the entry stays pending for another worker.
/// </summary>
public sealed class WorkerShutdownTests
{
    [Fact]
    public async Task A_worker_stops_within_its_grace_period_while_redis_is_down()
    {
        await using var redis = new OwnRedis();
        await redis.StartAsync();
        // Grace = the default queue's 5 s timeout + JobBench's 3 s reclaim grace.
        await using var bench = new JobBench(redis.Url, new JsonObject { ["workers"] = new JsonObject { ["default"] = new JsonObject { ["timeout"] = 5 } } });
        var site = await bench.CreateSiteAsync();
        var file = bench.TempFile("log.txt");
        await using (var ctx = bench.Context(site))
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "slow", sleep_ms = 3000 });
        var worker = bench.StartBench("worker", "--queue", "default");
        await JobBench.WaitUntilAsync(async () => (await bench.Backend.CountsAsync(["default"])).Single().Started == 1,
            TimeSpan.FromSeconds(30), "the job started\n" + bench.OutputText);

        await redis.StopAsync();
        await WorkerProcessTests.SignalAsync(worker, "TERM");
        var stopping = Stopwatch.StartNew();

        Assert.Equal(0, await WorkerProcessTests.WaitExitAsync(worker, TimeSpan.FromSeconds(30)));
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"stopped after {stopping.Elapsed.TotalSeconds:0.0} s\n{bench.OutputText}");
        // The job ran to its end; only its outcome is left for a worker to store once Redis is back.
        Assert.Equal(["slow Administrator"], await File.ReadAllLinesAsync(file));
    }

    [Fact]
    public async Task The_worker_loop_stops_storing_an_outcome_when_its_grace_ends()
    {
        await using var redis = new OwnRedis();
        await redis.StartAsync();
        await using var bench = new JobBench(redis.Url);
        var site = await bench.CreateSiteAsync();
        await using (var ctx = bench.Context(site))
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file = bench.TempFile("log.txt"), tag = "slow", sleep_ms = 2000 });
        var worker = bench.InProcessWorker(new WorkerOptions { Queues = ["default"] });
        using var stop = new CancellationTokenSource();
        using var grace = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token, grace.Token);
        await JobBench.WaitUntilAsync(async () => (await bench.Backend.CountsAsync(["default"])).Single().Started == 1, TimeSpan.FromSeconds(30), "the job started");

        await redis.StopAsync();
        await stop.CancelAsync();
        grace.CancelAfter(TimeSpan.FromSeconds(4));

        // Without the grace the loop would retry the outcome once a second, 600 times.
        await run.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(1, worker.Successful);
    }
}
