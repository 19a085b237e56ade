using System.Text.Json.Nodes;
using SharpBench.Jobs;
using SharpBench.Model;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Jobs;

/// <summary>The worker loop against the real Redis and a real site: outcomes, priority, faults.</summary>
public sealed class WorkerTests
{
    [Fact]
    public async Task A_job_runs_as_the_enqueuing_user_on_its_site_and_keeps_its_result()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site, "carol@example.com");
        var r = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.record", new { key = "k1" });

        await Drain.JobsAsync(bench);

        var job = (await bench.Backend.GetAsync(r.JobId!))!;
        Assert.Equal(JobStatus.Finished, job.Status);
        Assert.Equal("\"k1\"", job.Result);
        Assert.NotNull(job.StartedAt);
        Assert.NotNull(job.EndedAt);
        Assert.False(string.IsNullOrEmpty(job.WorkerName));
        // The row was committed by the job, as the enqueuing user.
        await using var db = await site.OpenDatabaseAsync();
        var owner = await db.ScalarAsync($"SELECT {db.Dialect.Quote("owner")} FROM {db.Dialect.Quote("tabJob Test Marker")} WHERE {db.Dialect.Quote("name")} = @p0", ["k1"]);
        Assert.Equal("carol@example.com", owner);
    }

    [Fact]
    public async Task A_throwing_job_is_failed_with_its_stack_and_an_error_log_and_the_worker_goes_on()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var bad = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.fail", new { why = "testing" });
        var good = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.record", new { key = "after-failure" });

        await Drain.JobsAsync(bench);

        var failed = (await bench.Backend.GetAsync(bad.JobId!))!;
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("InvalidOperationException: boom: testing", failed.ExcInfo);
        Assert.Contains("JobMethods.Fail", failed.ExcInfo);
        Assert.Equal(JobStatus.Finished, (await bench.Backend.GetAsync(good.JobId!))!.Status);
        var logs = await JobBench.ErrorLogsAsync(site);
        var log = Assert.Single(logs);
        Assert.Equal("sb_test_app.jobs.fail", log["method"]);
        Assert.Contains("boom: testing", (string)log["error"]!);
        Assert.Equal(failed.Id, log["trace_id"]);
    }

    [Fact]
    public async Task A_hanging_job_fails_at_its_timeout_and_the_worker_goes_on()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var hang = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.hang", null, new EnqueueOptions { Timeout = 1 });
        var next = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.record", new { key = "after-hang" });

        await Drain.JobsAsync(bench);

        var job = (await bench.Backend.GetAsync(hang.JobId!))!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("timeout", job.ExcInfo, StringComparison.OrdinalIgnoreCase);
        Assert.InRange((job.EndedAt!.Value - job.StartedAt!.Value).TotalSeconds, 0.9, 10);
        Assert.Equal(JobStatus.Finished, (await bench.Backend.GetAsync(next.JobId!))!.Status);
    }

    [Fact]
    public async Task Queues_are_taken_in_strict_priority_and_at_front_jobs_first_within_a_queue()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var file = bench.TempFile("order.txt");
        async Task Add(string tag, string queue, bool front = false) =>
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag }, new EnqueueOptions { Queue = queue, AtFront = front });
        await Add("long1", "long");
        await Add("default1", "default");
        await Add("short1", "short");
        await Add("long2", "long");
        await Add("default-front", "default", front: true);
        await Add("short2", "short");

        // Priority as given on the command line, not the built-in order.
        await Drain.JobsAsync(bench, "long", "default", "short");

        var order = (await File.ReadAllLinesAsync(file)).Select(l => l.Split(' ')[0]).ToList();
        Assert.Equal(["long1", "long2", "default-front", "default1", "short1", "short2"], order);
    }

    private static async Task<List<string>> DrainLoggingAsync(JobBench bench, DequeueStrategy strategy, int perQueue)
    {
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var file = bench.TempFile("order.txt");
        foreach (var queue in new[] { "short", "default" })
        {
            for (var i = 1; i <= perQueue; i++)
                await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = queue + i }, new EnqueueOptions { Queue = queue });
        }
        var worker = bench.InProcessWorker(new WorkerOptions { Queues = ["short", "default"], Burst = true, Strategy = strategy });
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await worker.RunAsync(limit.Token);
        return (await File.ReadAllLinesAsync(file)).Select(l => l.Split(' ')[0]).ToList();
    }

    [Fact]
    public async Task Round_robin_moves_the_queue_a_job_came_from_to_the_back()
    {
        await using var bench = new JobBench();

        var order = await DrainLoggingAsync(bench, DequeueStrategy.RoundRobin, 3);

        // Strict priority would run short1..3 first; quick jobs would also come in batches.
        Assert.Equal(["short1", "default1", "short2", "default2", "short3", "default3"], order);
    }

    [Fact]
    public async Task Random_serves_both_queues_before_either_is_empty_and_runs_every_job()
    {
        await using var bench = new JobBench();

        var order = await DrainLoggingAsync(bench, DequeueStrategy.Random, 20);

        Assert.Equal(40, order.Count);
        Assert.Equal(40, order.Distinct().Count());
        // Each pick is a coin toss between the two queues: the first 20 all from one queue has
        // a chance of 2 in 2^20, where strict priority would make it certain.
        var first = order.Take(20).ToList();
        Assert.Contains(first, t => t.StartsWith("short", StringComparison.Ordinal));
        Assert.Contains(first, t => t.StartsWith("default", StringComparison.Ordinal));
        // Within a queue, jobs still run in the order they were queued.
        Assert.Equal(Enumerable.Range(1, 20).Select(i => "short" + i), order.Where(t => t.StartsWith("short", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Lock_errors_are_retried_as_the_same_user_and_then_succeed()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site, "dave@example.com");
        var file = bench.TempFile("tries.txt");
        var r = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.flaky", new JsonObject { ["file"] = file, ["fail_times"] = 2 });

        await Drain.JobsAsync(bench);

        var job = (await bench.Backend.GetAsync(r.JobId!))!;
        Assert.Equal(JobStatus.Finished, job.Status);
        Assert.Equal(["try dave@example.com", "try dave@example.com", "try dave@example.com"], await File.ReadAllLinesAsync(file));
    }

    [Fact]
    public async Task Stopping_a_queued_job_cancels_it_and_no_worker_runs_it()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var file = bench.TempFile("never.txt");
        var r = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "x" });

        Assert.Equal(StopOutcome.Canceled, await bench.Backend.StopAsync(r.JobId!));
        await Drain.JobsAsync(bench);

        Assert.Equal(JobStatus.Canceled, (await bench.Backend.GetAsync(r.JobId!))!.Status);
        Assert.False(File.Exists(file));
        Assert.Equal(0, (await bench.Backend.CountsAsync(["default"]))[0].Queued);
    }

    [Fact]
    public async Task Stopping_a_running_job_cancels_it()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var r = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file = bench.TempFile("x"), tag = "x", sleep_ms = 60000 });
        var worker = bench.InProcessWorker(new WorkerOptions { Queues = ["default"], Burst = true });
        var run = worker.RunAsync(CancellationToken.None);
        await JobBench.WaitUntilAsync(async () => (await bench.Backend.GetAsync(r.JobId!))!.Status == JobStatus.Started, TimeSpan.FromSeconds(20), "job started");

        Assert.Equal(StopOutcome.StopRequested, await bench.Backend.StopAsync(r.JobId!));
        await run.WaitAsync(TimeSpan.FromSeconds(20));

        var job = (await bench.Backend.GetAsync(r.JobId!))!;
        Assert.Equal(JobStatus.Canceled, job.Status);
        Assert.False(File.Exists(bench.TempFile("x")));
    }

    [Fact]
    public async Task Stopping_a_job_taken_in_a_batch_but_not_started_cancels_it_before_it_runs()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        // Quick jobs grow the worker's batch, so the jobs after the slow one are taken with it:
        // marked started in Redis while the worker is still busy with the slow one.
        for (var i = 0; i < 40; i++)
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", new { i });
        var slow = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file = bench.TempFile("slow"), tag = "slow", sleep_ms = 4000 });
        var followers = new List<(string Id, string File)>();
        for (var i = 0; i < 8; i++)
        {
            var file = bench.TempFile($"follower-{i}");
            followers.Add(((await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "f" })).JobId!, file));
        }
        await ctx.CommitAsync();
        var worker = bench.InProcessWorker(new WorkerOptions { Queues = ["default"], Burst = true });
        var run = worker.RunAsync(CancellationToken.None);
        await JobBench.WaitUntilAsync(async () => (await bench.Backend.GetAsync(slow.JobId!))!.Status == JobStatus.Started, TimeSpan.FromSeconds(20), "slow job started");

        var taken = new List<(string Id, string File)>();
        foreach (var f in followers)
        {
            if ((await bench.Backend.GetAsync(f.Id))!.Status != JobStatus.Started)
                continue;
            Assert.Equal(StopOutcome.StopRequested, await bench.Backend.StopAsync(f.Id));
            taken.Add(f);
        }
        Assert.True(taken.Count > 0, "no job was taken in the slow job's batch; the worker never grew its batch");
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(File.Exists(bench.TempFile("slow")));
        foreach (var (id, file) in taken)
        {
            var job = (await bench.Backend.GetAsync(id))!;
            Assert.Equal(JobStatus.Canceled, job.Status);
            Assert.Contains("stopped before it started", job.ExcInfo);
            Assert.False(File.Exists(file), $"stopped job {id} ran");
        }
        foreach (var (id, _) in followers.Except(taken))
            Assert.Equal(JobStatus.Finished, (await bench.Backend.GetAsync(id))!.Status);
    }

    [Fact]
    public async Task Enqueue_doc_runs_a_document_method_as_the_enqueuing_user()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site, "Administrator");
        var doc = await Documents.NewAsync(ctx, "ToDo", new JsonObject { ["description"] = "plain" });
        await Documents.InsertAsync(ctx, doc);
        await ctx.CommitAsync();

        var bad = await Assert.ThrowsAsync<ValidationError>(() => BackgroundJobs.EnqueueDocAsync(ctx, "ToDo", doc.Name!, "no_such_method"));
        Assert.Contains("no_such_method", bad.Message);
        Assert.Empty(await bench.Backend.ListAsync(site.Name));

        var r = await BackgroundJobs.EnqueueDocAsync(ctx, "ToDo", doc.Name!, "close_from_job", new { note = "(nightly)" });
        var queued = (await bench.Backend.GetAsync(r.JobId!))!;
        Assert.Equal("ToDo.close_from_job", queued.JobName);
        Assert.Equal(300, queued.Timeout);
        await Drain.JobsAsync(bench);

        var job = (await bench.Backend.GetAsync(r.JobId!))!;
        Assert.True(job.Status == JobStatus.Finished, job.ExcInfo);
        await using var check = bench.Context(site);
        var reloaded = await Documents.GetAsync(check, "ToDo", doc.Name!);
        Assert.Equal("Closed", reloaded.GetString("status"));
        Assert.Equal("plain / closed by Administrator (nightly)", reloaded.GetString("description"));
    }

    [Fact]
    public async Task The_in_process_queue_gives_the_same_statuses_and_priority()
    {
        await using var bench = new JobBench(redisUrl: "");
        var backend = bench.Backends.UseEmbedded();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site, "erin@example.com");
        var file = bench.TempFile("order.txt");
        var a = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "default" });
        var b = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "short" }, new EnqueueOptions { Queue = "short" });
        var c = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.fail", null);
        Assert.Same(backend, bench.Backend);
        Assert.Equal(JobStatus.Queued, (await backend.GetAsync(a.JobId!))!.Status);

        await Drain.JobsAsync(bench);

        Assert.Equal(["short erin@example.com", "default erin@example.com"], await File.ReadAllLinesAsync(file));
        Assert.Equal(JobStatus.Finished, (await backend.GetAsync(a.JobId!))!.Status);
        Assert.Equal(JobStatus.Finished, (await backend.GetAsync(b.JobId!))!.Status);
        Assert.Equal(JobStatus.Failed, (await backend.GetAsync(c.JobId!))!.Status);
        Assert.Single(await JobBench.ErrorLogsAsync(site));
    }
}
