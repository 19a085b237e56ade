using SharpBench.Jobs;
using SharpBench.Sites;
using SharpBench.Tests.App;
using StackExchange.Redis;

namespace SharpBench.Tests.Jobs;

/// <summary>
/// Enqueues without deduplicate do not wait for Redis's reply one by one; these tests show a Redis
/// error still reaches the caller: at the enqueue once the window is full, else at commit, which
/// then does not happen.
/// </summary>
public sealed class PipelinedEnqueueTests
{
    private static async Task BreakQueueAsync(JobBench bench) =>
        // A plain string where the stream should be: XADD fails with WRONGTYPE inside the enqueue script.
        await (await RedisConnections.Outside.QueueAsync(bench.RedisUrl)).GetDatabase().StringSetAsync($"sb:{bench.BenchId}:queue:default", "not a stream");

    [Fact]
    public async Task A_redis_error_fails_the_commit_and_the_transaction_rolls_back()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var db = await ctx.DbAsync();
        await JobMethods.EnsureMarkerTableAsync(db, CancellationToken.None);
        await db.ExecuteAsync($"INSERT INTO {db.Dialect.Quote(JobMethods.MarkerTable)} ({db.Dialect.Quote("name")}) VALUES (@p0)", ["written-with-the-job"]);
        await BreakQueueAsync(bench);

        var r = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null);
        Assert.Equal(EnqueueOutcome.Queued, r.Outcome);
        var e = await Assert.ThrowsAsync<RedisServerException>(() => ctx.CommitAsync());
        Assert.Contains("WRONGTYPE", e.Message);
        await ctx.RollbackAsync();

        Assert.Empty(await JobBench.MarkersAsync(site));
    }

    [Fact]
    public async Task A_redis_error_reaches_an_enqueue_call_once_the_window_is_full()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        await BreakQueueAsync(bench);

        var calls = 0;
        var e = await Assert.ThrowsAsync<RedisServerException>(async () =>
        {
            for (; calls < 10 * PendingEnqueuesWindow; calls++)
                await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null);
        });

        Assert.Contains("WRONGTYPE", e.Message);
        Assert.InRange(calls, 1, PendingEnqueuesWindow + 1);
    }

    [Fact]
    public async Task Pipelined_enqueues_are_stored_in_order_and_a_worker_runs_them_all()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site, "frank@example.com");
        var file = bench.TempFile("order.txt");
        for (var i = 0; i < 600; i++)
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await ctx.CommitAsync();

        var worker = bench.InProcessWorker(new WorkerOptions { Queues = ["default"], Burst = true });
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await worker.RunAsync(limit.Token);

        var lines = await File.ReadAllLinesAsync(file);
        Assert.Equal(Enumerable.Range(0, 600).Select(i => $"{i} frank@example.com"), lines);
        Assert.Equal(600, worker.Successful);
    }

    private const int PendingEnqueuesWindow = 256;
}
