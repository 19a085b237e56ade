using Microsoft.Extensions.Logging.Abstractions;
using SharpBench.Data;
using SharpBench.Jobs;
using SharpBench.Sites;
using SharpBench.Tests.App;

namespace SharpBench.Tests.Jobs;

/// <summary>
/// A worker killed after its job committed but before Redis heard of it: the entry is redelivered
/// to another worker, which finds the job's completion record (written in the same transaction)
/// and acknowledges it without running the job again.
/// </summary>
public sealed class ExactlyOnceTests
{
    internal static async Task<List<string>> RowKeysAsync(Site site)
    {
        await using var db = await site.OpenDatabaseAsync();
        var rows = await db.QueryAsync($"SELECT {db.Dialect.Quote("row_key")} AS k FROM {db.Dialect.Quote(JobMethods.RowTable)}", []);
        return rows.Select(r => (string)r["k"]!).ToList();
    }

    internal static async Task PrepareAsync(Site site)
    {
        await using var db = await site.OpenDatabaseAsync();
        await JobMethods.EnsureRowTableAsync(db, CancellationToken.None);
    }

    private static async Task<long> CompletionRecordsAsync(Site site)
    {
        await using var db = await site.OpenDatabaseAsync();
        return Convert.ToInt64(await db.ScalarAsync($"SELECT COUNT(*) FROM {db.Dialect.Quote(JobCompletions.Table)}", []), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.MariaDb)]
    [InlineData(DbKind.Postgres)]
    public async Task A_job_redelivered_after_its_run_committed_is_acknowledged_without_running_again(DbKind kind)
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync(kind);
        await PrepareAsync(site);
        await using (var ctx = bench.Context(site))
        {
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.insert_row", new { key = "once" });
            await ctx.CommitAsync();
        }
        var queues = bench.Settings.QueueNames.ToList();

        // A worker takes the job and commits its work, then dies before acknowledging it.
        var taken = Assert.Single(await bench.Backend.TakeAsync(queues, "killed-worker", 1));
        var executor = new JobExecutor(bench.Sites, NullLogger.Instance) { KeepCompletion = j => JobCompletions.Keep(j, bench.Settings) };
        Assert.Equal(JobStatus.Finished, (await executor.RunAsync(taken, CancellationToken.None)).Status);
        Assert.Equal(["once"], await RowKeysAsync(site));

        // A live worker reclaims the entry once the grace has passed.
        var worker = bench.InProcessWorker(new WorkerOptions { Queues = queues });
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        await JobBench.WaitUntilAsync(async () => await bench.Backend.GetAsync(taken.Id) is { Status: JobStatus.Finished, Attempts: >= 2 },
            TimeSpan.FromSeconds(40), "the redelivered job acknowledged");
        await stop.CancelAsync();
        await running;

        Assert.Equal(["once"], await RowKeysAsync(site));
        Assert.Equal(1, await CompletionRecordsAsync(site));
    }

    [Fact]
    public async Task Expired_completion_records_are_deleted_in_bulk_and_live_ones_kept()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await PrepareAsync(site);
        var queues = bench.Settings.QueueNames.ToList();
        await using (var ctx = bench.Context(site))
        {
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.insert_row", new { key = "kept" });
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.insert_row", new { key = "expired" });
            await ctx.CommitAsync();
        }
        var kept = Assert.Single(await bench.Backend.TakeAsync(queues, "w", 1));
        await new JobExecutor(bench.Sites, NullLogger.Instance) { KeepCompletion = _ => TimeSpan.FromHours(1) }.RunAsync(kept, CancellationToken.None);
        Assert.Equal(1, await CompletionRecordsAsync(site));

        // The sweep runs at most once a minute per site and process: wait it out through a record already past its time.
        var expired = Assert.Single(await bench.Backend.TakeAsync(queues, "w", 1));
        await new JobExecutor(bench.Sites, NullLogger.Instance) { KeepCompletion = _ => TimeSpan.FromSeconds(-5) }.RunAsync(expired, CancellationToken.None);
        Assert.Equal(2, await CompletionRecordsAsync(site));
        await JobCompletions.SweepAsync(site, CancellationToken.None, force: true);
        Assert.Equal(1, await CompletionRecordsAsync(site));
    }
}
