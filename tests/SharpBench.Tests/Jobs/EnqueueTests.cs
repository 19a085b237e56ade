using System.Text.Json.Nodes;
using SharpBench.Jobs;
using SharpBench.Sites;

namespace SharpBench.Tests.Jobs;

/// <summary>frappe.enqueue's contract against the real Redis: what is stored, and what is refused.</summary>
public sealed class EnqueueTests
{
    [Fact]
    public async Task Enqueue_stores_site_user_method_arguments_and_queue_timeout()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site, "alice@example.com");

        var result = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.echo", new { a = 1, b = "x" }, new EnqueueOptions { Queue = "long" });

        Assert.Equal(EnqueueOutcome.Queued, result.Outcome);
        Assert.StartsWith(site.Name + "::", result.JobId);
        var job = await bench.Backend.GetAsync(result.JobId!);
        Assert.NotNull(job);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal("alice@example.com", job.User);
        Assert.Equal(site.Name, job.Site);
        Assert.Equal("long", job.Queue);
        Assert.Equal(1500, job.Timeout);
        Assert.Equal("""{"a":1,"b":"x"}""", job.Kwargs.ToJsonString());
        var counts = await bench.Backend.CountsAsync(["short", "default", "long"]);
        Assert.Equal([0L, 0L, 1L], counts.Select(c => c.Queued));
    }

    [Fact]
    public async Task Unknown_queue_unknown_method_and_unserialisable_arguments_fail_and_queue_nothing()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);

        var badQueue = await Assert.ThrowsAsync<ValidationError>(() => BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, new EnqueueOptions { Queue = "nope" }));
        Assert.Equal("Queue should be one of short, default, long", badQueue.Message);

        var badMethod = await Assert.ThrowsAsync<ValidationError>(() => BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.does_not_exist"));
        Assert.Contains("sb_test_app.jobs.does_not_exist", badMethod.Message);

        var self = new Dictionary<string, object?>();
        self["me"] = self;
        var badArgs = await Assert.ThrowsAsync<ValidationError>(() => BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", self));
        Assert.Contains("not JSON serialisable", badArgs.Message);

        var notAnObject = await Assert.ThrowsAsync<ValidationError>(() => BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", new List<int> { 1, 2 }));
        Assert.Contains("keyword arguments", notAnObject.Message);

        var delegateArg = await Assert.ThrowsAsync<ValidationError>(() => BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", new { callback = (Func<int>)(() => 1) }));
        Assert.Contains("not JSON serialisable", delegateArg.Message);

        var dedupeWithoutId = await Assert.ThrowsAsync<ValidationError>(() => BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, new EnqueueOptions { Deduplicate = true }));
        Assert.Contains("job_id", dedupeWithoutId.Message);

        Assert.Empty(await bench.Backend.ListAsync(site.Name));
        var counts = await bench.Backend.CountsAsync(bench.Settings.QueueNames.ToList());
        Assert.All(counts, c => Assert.Equal(0, c.Queued));
    }

    [Fact]
    public async Task Custom_queues_come_from_workers_config_and_a_builtin_entry_overrides_its_timeout()
    {
        await using var bench = new JobBench(extraCommon: new JsonObject
        {
            ["workers"] = new JsonObject { ["emails"] = new JsonObject { ["timeout"] = 900 }, ["long"] = new JsonObject { ["background_workers"] = 2 } },
        });
        var settings = bench.Settings;
        Assert.Equal(["short", "default", "long", "emails"], settings.QueueNames);
        Assert.Equal(900, settings.TimeoutOf("emails"));
        // Frappe's trap, kept: an override without a timeout falls back to 300 even for long.
        Assert.Equal(300, settings.TimeoutOf("long"));

        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var r = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, new EnqueueOptions { Queue = "emails", Timeout = 42 });
        Assert.Equal(42, (await bench.Backend.GetAsync(r.JobId!))!.Timeout);
    }

    [Fact]
    public async Task Bench_id_is_derived_from_the_path_like_frappe()
    {
        Assert.Equal("home-frappe-frappe-bench", RedisQueueLogin.DeriveBenchId("/home/frappe/frappe-bench/"));
        await using var a = new JobBench();
        await using var b = new JobBench();
        var siteA = await a.CreateSiteAsync();
        await using var ctx = a.Context(siteA);
        await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop");
        // Same Redis, another bench id: the other bench sees nothing of it.
        Assert.Equal(1, (await a.Backend.CountsAsync(["default"]))[0].Queued);
        Assert.Equal(0, (await b.Backend.CountsAsync(["default"]))[0].Queued);
    }

    [Fact]
    public async Task Deduplicate_skips_a_queued_job_and_replaces_a_finished_one()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var options = new EnqueueOptions { JobId = "nightly", Deduplicate = true };

        var first = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, options);
        var second = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, options);

        Assert.Equal(EnqueueOutcome.Queued, first.Outcome);
        Assert.Equal(site.Name + "::nightly", first.JobId);
        Assert.Equal(EnqueueOutcome.Deduplicated, second.Outcome);
        Assert.Equal(1, (await bench.Backend.CountsAsync(["default"]))[0].Queued);
        Assert.True(await BackgroundJobs.IsJobEnqueuedAsync(ctx, "nightly"));

        var worker = bench.InProcessWorker(new WorkerOptions { Queues = ["default"], Burst = true });
        await worker.RunAsync(CancellationToken.None);
        Assert.Equal(JobStatus.Finished, await BackgroundJobs.GetJobStatusAsync(ctx, "nightly"));

        var third = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, options);
        Assert.Equal(EnqueueOutcome.Queued, third.Outcome);
        Assert.Equal(JobStatus.Queued, await BackgroundJobs.GetJobStatusAsync(ctx, "nightly"));
    }

    [Fact]
    public async Task Enqueue_after_commit_queues_only_when_the_transaction_commits()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();

        await using (var rolledBack = bench.Context(site))
        {
            await rolledBack.DbAsync();
            var r = await BackgroundJobs.EnqueueAsync(rolledBack, "sb_test_app.jobs.noop", null, new EnqueueOptions { EnqueueAfterCommit = true, JobId = "dropped" });
            Assert.Equal(EnqueueOutcome.AfterCommit, r.Outcome);
            Assert.Null(await bench.Backend.GetAsync(r.JobId!));
            await rolledBack.RollbackAsync();
        }
        await using (var committed = bench.Context(site))
        {
            await committed.DbAsync();
            var r = await BackgroundJobs.EnqueueAsync(committed, "sb_test_app.jobs.noop", null, new EnqueueOptions { EnqueueAfterCommit = true, JobId = "kept" });
            Assert.Null(await bench.Backend.GetAsync(r.JobId!));
            await committed.CommitAsync();
            Assert.Equal(JobStatus.Queued, (await bench.Backend.GetAsync(r.JobId!))!.Status);
        }
        Assert.Equal(["kept"], (await bench.Backend.ListAsync(site.Name)).Select(j => j.UserJobId));
    }

    [Fact]
    public async Task Now_runs_inline_in_the_callers_context_and_queues_nothing()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site, "bob@example.com");
        var r = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.echo", new JsonObject { ["x"] = 5 }, new EnqueueOptions { Now = true });
        Assert.Equal(EnqueueOutcome.RanNow, r.Outcome);
        var value = Assert.IsType<JsonObject>(r.Result);
        Assert.Equal("bob@example.com", (string?)value["user"]);
        Assert.Equal(5, (int)value["kwargs"]!["x"]!);
        Assert.Empty(await bench.Backend.ListAsync(site.Name));
    }

    [Fact]
    public async Task Worker_without_redis_queue_refuses_to_start_and_says_what_to_set()
    {
        await using var bench = new JobBench(redisUrl: "");
        var code = await bench.RunBenchAsync("worker");
        Assert.Equal(1, code);
        Assert.Contains("redis_queue", bench.OutputText);
        Assert.Contains("bench start", bench.OutputText);
    }
}
