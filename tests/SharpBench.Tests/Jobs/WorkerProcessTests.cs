using System.Diagnostics;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Jobs;
using SharpBench.Model;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Jobs;

/// <summary>
/// The real <c>bench worker</c> process against the real Redis: burst, warm stop on SIGTERM, a
/// worker killed with SIGKILL mid-job, and the "done when" on MariaDB.
/// </summary>
public sealed class WorkerProcessTests
{
    internal static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    internal static async Task<int> WaitExitAsync(Process process, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit();
        return process.ExitCode;
    }

    [Fact]
    public async Task Burst_worker_drains_the_queues_and_exits_0()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site, "frank@example.com");
        var file = bench.TempFile("log.txt");
        for (var i = 0; i < 5; i++)
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "j" + i }, new EnqueueOptions { Queue = i % 2 == 0 ? "short" : "long" });
        var failing = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.fail", new { why = "cli" });

        var code = await bench.RunBenchAsync("worker", "--burst", "--queue", "short,default,long");

        Assert.True(code == 0, bench.OutputText);
        Assert.Equal(["j0 frank@example.com", "j2 frank@example.com", "j4 frank@example.com", "j1 frank@example.com", "j3 frank@example.com"], await File.ReadAllLinesAsync(file));
        Assert.Equal(JobStatus.Failed, (await bench.Backend.GetAsync(failing.JobId!))!.Status);
        Assert.Contains("boom: cli", bench.OutputText);
        Assert.All(await bench.Backend.CountsAsync(bench.Settings.QueueNames.ToList()), c => Assert.Equal((0L, 0L), (c.Queued, c.Started)));
        // The worker unregistered itself when it left.
        Assert.Empty(await bench.Backend.WorkersAsync());

        // doctor shows the failed job of the site as a table.
        bench.Output.Clear();
        Assert.Equal(0, await bench.RunBenchAsync("--site", site.Name, "doctor"));
        Assert.Contains("Failed jobs of " + site.Name + " (1)", bench.OutputText);
        Assert.Contains(failing.JobId!.Split("::")[1], bench.OutputText);
        Assert.Contains("boom: cli", bench.OutputText);
    }

    [Fact]
    public async Task Worker_refuses_unknown_queue_names()
    {
        await using var bench = new JobBench();
        Assert.Equal(1, await bench.RunBenchAsync("worker", "--burst", "--queue", "short,bogus"));
        Assert.Contains("Unknown queue bogus", bench.OutputText);
    }

    [Fact]
    public async Task Worker_takes_redis_queue_from_FRAPPE_REDIS_QUEUE_over_common_config()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        var file = bench.TempFile("log.txt");
        await using (var ctx = bench.Context(site))
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "env" });
        // Common config now names a port nothing listens on; only the environment has the queue.
        bench.Bench.UpdateCommonConfig(c => c["redis_queue"] = $"redis://127.0.0.1:{Ports.Free()}");
        bench.ProcessEnvironment["FRAPPE_REDIS_QUEUE"] = bench.RedisUrl;

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.True(await bench.RunBenchAsync("worker", "--burst").WaitAsync(limit.Token) == 0, bench.OutputText);

        Assert.Equal(["env Administrator"], await File.ReadAllLinesAsync(file));
    }

    [Fact]
    public async Task Worker_refuses_an_unknown_strategy_and_takes_nothing()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var job = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null);

        Assert.NotEqual(0, await bench.RunBenchAsync("worker", "--burst", "--strategy", "fastest"));

        Assert.Contains("fastest", bench.OutputText);
        Assert.Contains("round_robin", bench.OutputText);
        Assert.Equal(JobStatus.Queued, (await bench.Backend.GetAsync(job.JobId!))!.Status);
    }

    [Theory]
    [InlineData(null, 10)]
    [InlineData(5, 5)]
    public async Task Worker_threads_run_at_background_niceness(int? configured, int increment)
    {
        // null: unset, which JobBench otherwise sets low for the other tests.
        var common = new JsonObject { ["background_process_niceness"] = configured };
        await using var bench = new JobBench(extraCommon: common);
        var worker = bench.StartBench("worker", "--queue", "default");
        await JobBench.WaitUntilAsync(async () => (await bench.Backend.WorkersAsync()).Count > 0, TimeSpan.FromSeconds(30), "worker registered\n" + bench.OutputText);

        var own = ThreadNiceness.Own();
        var threads = ThreadNiceness.Of(worker.Id);
        await SignalAsync(worker, "TERM");
        Assert.Equal(0, await WaitExitAsync(worker, TimeSpan.FromSeconds(30)));

        Assert.True(threads.Count > 1, "a .NET process has several threads");
        Assert.All(threads, t => Assert.Equal(Math.Min(19, own + increment), t));
    }

    [Fact]
    public async Task A_worker_pool_runs_its_workers_side_by_side_in_one_process_and_stops_warm()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var file = bench.TempFile("log.txt");
        var pool = bench.StartBench("worker-pool", "--num-workers", "3", "--queue", "default");
        await JobBench.WaitUntilAsync(async () => (await bench.Backend.WorkersAsync()).Count == 3, TimeSpan.FromSeconds(30), "3 workers registered\n" + bench.OutputText);
        var registered = await bench.Backend.WorkersAsync();
        Assert.Equal(3, registered.Select(w => w.Name).Distinct().Count());
        Assert.All(registered, w => Assert.Equal(pool.Id, w.Pid));

        // Slow jobs: each worker takes one at a time, so three run at once.
        var jobs = new List<string>();
        for (var i = 0; i < 3; i++)
            jobs.Add((await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "j" + i, sleep_ms = 3000 })).JobId!);
        await JobBench.WaitUntilAsync(async () => (await Task.WhenAll(jobs.Select(id => bench.Backend.GetAsync(id)))).All(j => j!.Status == JobStatus.Started),
            TimeSpan.FromSeconds(30), "3 jobs running at once\n" + bench.OutputText);

        await SignalAsync(pool, "TERM");
        Assert.Equal(0, await WaitExitAsync(pool, TimeSpan.FromSeconds(30)));
        var done = await Task.WhenAll(jobs.Select(id => bench.Backend.GetAsync(id)));
        Assert.All(done, j => Assert.Equal(JobStatus.Finished, j!.Status));
        Assert.Equal(3, done.Select(j => j!.WorkerName).Distinct().Count());
        Assert.Empty(await bench.Backend.WorkersAsync());
    }

    [Fact]
    public async Task A_burst_worker_pool_drains_and_exits_and_refuses_an_empty_pool()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var file = bench.TempFile("log.txt");
        for (var i = 0; i < 6; i++)
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "j" + i }, new EnqueueOptions { Queue = i % 2 == 0 ? "short" : "long" });

        Assert.Equal(1, await bench.RunBenchAsync("worker-pool", "--num-workers", "0", "--burst"));
        Assert.Contains("--num-workers must be 1 or more", bench.OutputText);
        Assert.All(await bench.Backend.CountsAsync(["short", "long"]), c => Assert.True(c.Queued > 0));

        Assert.Equal(0, await bench.RunBenchAsync("worker-pool", "--burst", "--queue", "short,long"));

        Assert.Equal(6, (await File.ReadAllLinesAsync(file)).Length);
        Assert.All(await bench.Backend.CountsAsync(["short", "long"]), c => Assert.Equal((0L, 0L), (c.Queued, c.Started)));
    }

    [Fact]
    public async Task Sigterm_lets_the_running_job_finish_takes_no_new_job_and_exits_0()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var file = bench.TempFile("log.txt");
        var running = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "slow", sleep_ms = 3000 });
        var worker = bench.StartBench("worker", "--queue", "default");
        await JobBench.WaitUntilAsync(async () => (await bench.Backend.GetAsync(running.JobId!))!.Status == JobStatus.Started, TimeSpan.FromSeconds(30), "job started\n" + bench.OutputText);
        var waiting = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "next" }, new EnqueueOptions { Queue = "default" });

        await SignalAsync(worker, "TERM");
        var code = await WaitExitAsync(worker, TimeSpan.FromSeconds(30));

        Assert.True(code == 0, bench.OutputText);
        Assert.Equal(JobStatus.Finished, (await bench.Backend.GetAsync(running.JobId!))!.Status);
        Assert.Equal(JobStatus.Queued, (await bench.Backend.GetAsync(waiting.JobId!))!.Status);
        Assert.Equal(["slow Administrator"], await File.ReadAllLinesAsync(file));
    }

    [Fact]
    public async Task A_job_whose_worker_is_killed_runs_again_on_another_worker_and_commits_once()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var starts = bench.TempFile("starts.txt");
        var job = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.record",
            new { key = "once", file = starts, sleep_ms = 4000 }, new EnqueueOptions { Timeout = 6 });

        var first = bench.StartBench("worker");
        // The line, not just the file: a kill between creating and writing it would lose the line.
        await JobBench.WaitUntilAsync(async () => File.Exists(starts) && (await File.ReadAllTextAsync(starts)).EndsWith('\n'), TimeSpan.FromSeconds(30), "first start\n" + bench.OutputText);
        first.Kill();
        await first.WaitForExitAsync();
        Assert.Equal(JobStatus.Started, (await bench.Backend.GetAsync(job.JobId!))!.Status);

        var second = bench.StartBench("worker");
        await JobBench.WaitUntilAsync(async () => (await bench.Backend.GetAsync(job.JobId!))!.Status == JobStatus.Finished, TimeSpan.FromSeconds(60), "re-run finished\n" + bench.OutputText);
        await SignalAsync(second, "TERM");
        Assert.Equal(0, await WaitExitAsync(second, TimeSpan.FromSeconds(30)));

        // At least once: it started twice (the first run died before committing) ...
        var startLines = await File.ReadAllLinesAsync(starts);
        Assert.True(startLines.Length == 2, string.Join("\n", startLines) + "\n" + bench.OutputText);
        // ... and exactly once from the application's side: one committed row.
        Assert.Equal(["once"], await JobBench.MarkersAsync(site));
        var record = (await bench.Backend.GetAsync(job.JobId!))!;
        Assert.Equal(2, record.Attempts);
        Assert.Contains("was left by a worker that stopped", bench.OutputText);
    }

    [Fact]
    public async Task Done_when_a_document_hook_enqueues_on_long_and_a_long_default_short_worker_runs_it_on_mariadb()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync(DbKind.MariaDb);
        var worker = bench.StartBench("worker", "--queue", "long,default,short");

        // The test app's ToDo after_insert hook enqueues (after commit) a job on long.
        string name;
        await using (var ctx = bench.Context(site, "grace@example.com"))
        {
            var doc = await Documents.NewAsync(ctx, "ToDo", new JsonObject { ["description"] = "enqueue: follow-up" });
            doc.Flags.IgnorePermissions = true;
            await Documents.InsertAsync(ctx, doc);
            name = doc.Name!;
            Assert.Null(await bench.Backend.GetAsync(JobRecord.FullId(site.Name, "todo-" + name)));
            await ctx.CommitAsync();
        }
        var jobId = JobRecord.FullId(site.Name, "todo-" + name);
        await JobBench.WaitUntilAsync(async () => (await bench.Backend.GetAsync(jobId))?.Status == JobStatus.Finished, TimeSpan.FromSeconds(60), "long job finished\n" + bench.OutputText);

        var job = (await bench.Backend.GetAsync(jobId))!;
        Assert.Equal("long", job.Queue);
        Assert.Equal("grace@example.com", job.User);
        Assert.Contains("." + worker.Id + ".", job.WorkerName);
        Assert.Equal([name], await JobBench.MarkersAsync(site));
        await SignalAsync(worker, "TERM");
        Assert.Equal(0, await WaitExitAsync(worker, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Execute_runs_a_method_once_and_rejects_bad_kwargs()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        Assert.Equal(0, await bench.RunBenchAsync("--site", site.Name, "execute", "sb_test_app.jobs.record", "--kwargs", """{"key": "via-execute"}"""));
        Assert.Contains("\"via-execute\"", bench.OutputText);
        Assert.Equal(["via-execute"], await JobBench.MarkersAsync(site));

        bench.Output.Clear();
        Assert.Equal(1, await bench.RunBenchAsync("--site", site.Name, "execute", "sb_test_app.jobs.record", "--kwargs", "{not json"));
        Assert.Contains("--kwargs is not valid JSON", bench.OutputText);
        bench.Output.Clear();
        Assert.Equal(1, await bench.RunBenchAsync("--site", site.Name, "execute", "no.such.method"));
        Assert.Contains("Method no.such.method is not registered", bench.OutputText);
        Assert.Equal(["via-execute"], await JobBench.MarkersAsync(site));
    }
}
