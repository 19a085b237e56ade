using SharpBench.Jobs;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Jobs;

/// <summary>on_success / on_failure callbacks and rq_failed_jobs_limit, against the real Redis and a real site.</summary>
public sealed class CallbackTests
{
    private const string Callback = "sb_test_app.jobs.callback";

    private static async Task<List<(string Name, string Owner)>> MarkerRowsAsync(Site site)
    {
        await using var db = await site.OpenDatabaseAsync();
        await SharpBench.Tests.App.JobMethods.EnsureMarkerTableAsync(db, CancellationToken.None);
        var rows = await db.QueryAsync($"SELECT {db.Dialect.Quote("name")} AS n, {db.Dialect.Quote("owner")} AS o FROM {db.Dialect.Quote(SharpBench.Tests.App.JobMethods.MarkerTable)}", []);
        return rows.Select(r => ((string)r["n"]!, (string)r["o"]!)).OrderBy(r => r.Item1, StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task On_success_gets_the_job_and_its_result_and_runs_as_the_jobs_user()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site, "carol@example.com");
        var options = new EnqueueOptions { JobId = "ok1", OnSuccess = Callback, OnFailure = Callback };
        var r = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file = bench.TempFile("ok.txt"), tag = "t1" }, options);
        Assert.Equal(Callback, (await bench.Backend.GetAsync(r.JobId!))!.OnSuccess);

        await Drain.JobsAsync(bench);

        Assert.Equal(JobStatus.Finished, (await bench.Backend.GetAsync(r.JobId!))!.Status);
        // Only the success callback ran, with the job's result, committed as the job's user.
        Assert.Equal([("success|ok1|\"t1\"", "carol@example.com")], await MarkerRowsAsync(site));
    }

    [Fact]
    public async Task On_failure_gets_the_exception_and_the_job_stays_failed()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site, "dave@example.com");
        var r = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.fail", new { why = "cb" },
            new EnqueueOptions { JobId = "bad1", OnSuccess = Callback, OnFailure = Callback });

        await Drain.JobsAsync(bench);

        var job = (await bench.Backend.GetAsync(r.JobId!))!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("boom: cb", job.ExcInfo);
        var row = Assert.Single(await MarkerRowsAsync(site));
        Assert.Equal("failure|bad1|System.InvalidOperationException: boom: cb", row.Name);
        Assert.Equal("dave@example.com", row.Owner);
    }

    [Fact]
    public async Task A_throwing_success_callback_fails_the_job_and_the_failure_callback_still_runs()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        // The callback throws for this job; its failure callback (the same method) throws too.
        var r = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.echo", new { callback_throws = true },
            new EnqueueOptions { JobId = "cbfail", OnSuccess = Callback, OnFailure = Callback });

        await Drain.JobsAsync(bench);

        var job = (await bench.Backend.GetAsync(r.JobId!))!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.StartsWith($"on_success callback {Callback} failed: System.InvalidOperationException: success callback refused", job.ExcInfo);
        Assert.Contains($"on_failure callback {Callback} failed too: System.InvalidOperationException: failure callback refused", job.ExcInfo);
        Assert.Empty(await MarkerRowsAsync(site));
        var log = Assert.Single(await JobBench.ErrorLogsAsync(site));
        Assert.Equal(job.Id, log["trace_id"]);
    }

    [Fact]
    public async Task An_unknown_callback_is_refused_at_enqueue_and_nothing_is_queued()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);

        var e1 = await Assert.ThrowsAsync<ValidationError>(() => BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, new EnqueueOptions { OnSuccess = "no.such.callback" }));
        var e2 = await Assert.ThrowsAsync<ValidationError>(() => BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, new EnqueueOptions { OnFailure = "os.system" }));

        Assert.Contains("on_success callback no.such.callback is not a registered method", e1.Message);
        Assert.Contains("on_failure callback os.system is not a registered method", e2.Message);
        Assert.Empty(await bench.Backend.ListAsync(site.Name));
        Assert.Equal(0, (await bench.Backend.CountsAsync(["default"]))[0].Queued);
    }

    [Fact]
    public async Task Failed_jobs_beyond_rq_failed_jobs_limit_are_deleted_oldest_first()
    {
        await using var bench = new JobBench(extraCommon: new() { ["rq_failed_jobs_limit"] = 2 });
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var ids = new List<string>();
        foreach (var n in new[] { "f1", "f2", "f3", "f4" })
            ids.Add((await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.fail", new { why = n }, new EnqueueOptions { JobId = n })).JobId!);
        var ok = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null);
        var shortFail = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.fail", new { why = "s" }, new EnqueueOptions { Queue = "short" });

        await Drain.JobsAsync(bench);

        Assert.Null(await bench.Backend.GetAsync(ids[0]));
        Assert.Null(await bench.Backend.GetAsync(ids[1]));
        Assert.Equal(JobStatus.Failed, (await bench.Backend.GetAsync(ids[2]))!.Status);
        Assert.Equal(JobStatus.Failed, (await bench.Backend.GetAsync(ids[3]))!.Status);
        // The limit is per queue, and finished jobs are not counted.
        Assert.Equal(JobStatus.Failed, (await bench.Backend.GetAsync(shortFail.JobId!))!.Status);
        Assert.Equal(JobStatus.Finished, (await bench.Backend.GetAsync(ok.JobId!))!.Status);
        var registry = await (await RedisConnections.Outside.QueueAsync(bench.RedisUrl)).GetDatabase()
            .SortedSetRangeByRankAsync($"sb:{bench.BenchId}:failed:default");
        Assert.Equal(ids[2..], registry.Select(v => (string)v!).ToList());
    }

    [Fact]
    public async Task A_failed_id_enqueued_again_is_not_deleted_by_the_trim()
    {
        await using var bench = new JobBench(extraCommon: new() { ["rq_failed_jobs_limit"] = 1 });
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var first = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.fail", new { why = "1" }, new EnqueueOptions { JobId = "again" });
        await Drain.JobsAsync(bench);
        Assert.Equal(JobStatus.Failed, (await bench.Backend.GetAsync(first.JobId!))!.Status);

        // Same id queued again (it replaces the failed record), then another failure pushes the
        // old registry entry out: the queued job must survive.
        await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, new EnqueueOptions { JobId = "again", Queue = "long" });
        await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.fail", new { why = "2" }, new EnqueueOptions { JobId = "other" });
        await Drain.JobsAsync(bench);

        Assert.Equal(JobStatus.Finished, (await bench.Backend.GetAsync(first.JobId!))!.Status);
        Assert.Equal(JobStatus.Failed, (await bench.Backend.GetAsync(JobRecord.FullId(site.Name, "other")))!.Status);
    }

    [Fact]
    public async Task Taking_several_jobs_keeps_strict_priority_and_completing_takes_the_next_in_one_step()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var shortIds = new List<string>();
        for (var i = 0; i < 3; i++)
            shortIds.Add((await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, new EnqueueOptions { Queue = "short" })).JobId!);
        var defaultIds = new List<string>();
        for (var i = 0; i < 3; i++)
            defaultIds.Add((await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null)).JobId!);
        var backend = bench.Backend;

        // Asking for 5 gives only the 3 short ones: a later queue waits until the earlier is empty.
        var taken = await backend.TakeAsync(["short", "default"], "w1", 5);
        Assert.Equal(shortIds, taken.Select(j => j.Id).ToList());
        Assert.All(taken, j => Assert.Equal(JobStatus.Started, j.Status));
        Assert.Equal(JobStatus.Queued, (await backend.GetAsync(defaultIds[0]))!.Status);

        taken[0].Status = JobStatus.Finished;
        taken[0].EndedAt = JobRecord.Now();
        var next = await backend.CompleteAsync(taken[0], TimeSpan.FromMinutes(1), ["default"], "w1", 2);

        Assert.Equal(JobStatus.Finished, (await backend.GetAsync(shortIds[0]))!.Status);
        Assert.Equal(defaultIds[..2], next.Select(j => j.Id).ToList());
        Assert.Equal(JobStatus.Started, (await backend.GetAsync(defaultIds[1]))!.Status);
        Assert.Equal(JobStatus.Queued, (await backend.GetAsync(defaultIds[2]))!.Status);
    }
}
