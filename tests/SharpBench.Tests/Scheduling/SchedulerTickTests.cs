using Microsoft.Extensions.Logging.Abstractions;
using SharpBench.Apps;
using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Jobs;
using SharpBench.Scheduling;
using SharpBench.Sites;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Scheduling;

/// <summary>The tick against real Redis queues, with a clock the test moves.</summary>
public class SchedulerTickTests
{
    private static readonly DateTime Created = new(2026, 5, 6, 9, 58, 0);

    private static async Task PrepareAsync(Site site, SchedulerEvents events, bool enable = true)
    {
        await using var db = await site.OpenDatabaseAsync();
        await db.BeginAsync();
        await SystemSettings.SetAsync(db, "time_zone", "UTC");
        await SystemSettings.SetAsync(db, "enable_scheduler", enable ? "1" : "0");
        await db.CommitAsync();
        var d = db.Dialect;
        // Only the test's jobs: the core app's daily work would be due too.
        await db.ExecuteAsync($"DELETE FROM {d.Quote(ScheduledJobType.Table)}", []);
        var result = await ScheduledJobSync.SyncAsync(db, [new TestApp(events)], Created);
        Assert.Empty(result.Errors);
    }

    private static Scheduler NewScheduler(Bench bench, TimeProvider clock, Func<bool>? mayRun = null) =>
        new(bench, BenchHost.Load(bench), new BackgroundJobSink(), clock, NullLogger.Instance) { MayRun = mayRun ?? (() => true) };

    [Fact]
    public async Task DueJobsAreQueuedOnceUnderTheirPerSiteIdAndNotAgainWhileQueued()
    {
        await using var jb = new JobBench();
        var site = await jb.CreateSiteAsync();
        await PrepareAsync(site, new SchedulerEvents
        {
            ["hourly"] = ["sched.tasks.hourly"],
            ["daily_long"] = ["sched.tasks.nightly"],
            Cron = { ["*/15 * * * *"] = ["sched.tasks.quarter"] },
        });
        var clock = new FakeClock(FakeClock.Utc(2026, 5, 6, 9, 59, 59));
        var scheduler = NewScheduler(jb.Bench, clock);

        var result = await scheduler.TickAsync();
        Assert.Empty(result.Enqueued);
        Assert.Empty(result.Failed);

        clock.Set(FakeClock.Utc(2026, 5, 6, 10, 0, 0));
        result = await scheduler.TickAsync();
        Assert.Equal(["tasks.hourly", "tasks.quarter"], result.Enqueued.Select(e => e.Job).Order());
        Assert.All(result.Enqueued, e => Assert.Equal(site.Name, e.Site));

        var job = (await jb.Backend.GetAsync($"{site.Name}::scheduled_job::tasks.hourly"))!;
        Assert.Equal(("queued", "default", "Administrator", ScheduledJobRunner.RunMethod), (job.Status, job.Queue, job.User, job.Method));
        Assert.Equal("sched.tasks.hourly", (string?)job.Kwargs["job_type"]);
        Assert.Equal("tasks.hourly", (string?)job.Kwargs["scheduled_job_type"]);

        // A minute later nothing ran yet: the same jobs are due but already queued.
        clock.Advance(TimeSpan.FromMinutes(1));
        result = await scheduler.TickAsync();
        Assert.Empty(result.Enqueued);
        Assert.Equal(2, result.AlreadyQueued.Count);

        // The long job goes to `long` after midnight plus its delay (at most 10 minutes).
        clock.Set(FakeClock.Utc(2026, 5, 7, 0, 10, 1));
        result = await scheduler.TickAsync();
        Assert.Contains((site.Name, "tasks.nightly"), result.Enqueued);
        Assert.Equal("long", (await jb.Backend.GetAsync($"{site.Name}::scheduled_job::tasks.nightly"))!.Queue);
    }

    [Fact]
    public async Task InactiveSitesAreSkippedAndABrokenSiteDoesNotStopTheOthers()
    {
        await using var jb = new JobBench();
        var events = new SchedulerEvents { ["hourly"] = ["sched.tasks.hourly"] };
        var healthy = await jb.CreateSiteAsync();
        var disabled = await jb.CreateSiteAsync();
        var paused = await jb.CreateSiteAsync();
        var broken = await jb.CreateSiteAsync();
        await PrepareAsync(healthy, events);
        await PrepareAsync(disabled, events, enable: false);
        await PrepareAsync(paused, events);
        await PrepareAsync(broken, events);
        SchedulerState.SetPaused(jb.Bench, paused.Name, true);
        // The broken site's database is unreachable (nothing listens on port 1).
        ConfigFile.Update(Path.Combine(broken.Path, "site_config.json"), c =>
        {
            c["db_type"] = "mariadb";
            c["db_host"] = "127.0.0.1";
            c["db_port"] = 1;
            c["db_password"] = "x";
        });

        var clock = new FakeClock(FakeClock.Utc(2026, 5, 6, 10, 0, 1));
        var result = await NewScheduler(jb.Bench, clock).TickAsync();
        Assert.Equal([(healthy.Name, "tasks.hourly")], result.Enqueued);
        Assert.Equal(broken.Name, Assert.Single(result.Failed).Site);
        Assert.Contains((paused.Name, "pause_scheduler is set"), result.Inactive);
        Assert.Contains((disabled.Name, "the scheduler is disabled in System Settings"), result.Inactive);
        Assert.Null(await jb.Backend.GetAsync($"{paused.Name}::scheduled_job::tasks.hourly"));
        Assert.Null(await jb.Backend.GetAsync($"{disabled.Name}::scheduled_job::tasks.hourly"));
    }

    [Fact]
    public async Task StoppedJobsAndBadCronRowsAreSkippedTheRestStillRun()
    {
        await using var jb = new JobBench();
        var site = await jb.CreateSiteAsync();
        await PrepareAsync(site, new SchedulerEvents { ["hourly"] = ["sched.tasks.a", "sched.tasks.b"], Cron = { ["0 * * * *"] = ["sched.tasks.c"] } });
        await using (var db = await site.OpenDatabaseAsync())
        {
            var d = db.Dialect;
            await db.ExecuteAsync($"UPDATE {d.Quote(ScheduledJobType.Table)} SET {d.Quote("stopped")} = 1 WHERE {d.Quote("method")} = @p0", ["sched.tasks.a"]);
            // Edited by hand into something Cronos refuses.
            await db.ExecuteAsync($"UPDATE {d.Quote(ScheduledJobType.Table)} SET {d.Quote("cron_format")} = @p0 WHERE {d.Quote("method")} = @p1", ["every hour", "sched.tasks.c"]);
        }
        var result = await NewScheduler(jb.Bench, new FakeClock(FakeClock.Utc(2026, 5, 6, 10, 0, 1))).TickAsync();
        Assert.Equal([(site.Name, "tasks.b")], result.Enqueued);
    }

    /// <summary>
    /// Takes each queued job from Redis and runs it with the test clock (what a worker does), so
    /// last_execution moves in simulated time. Returns the job types that ran.
    /// </summary>
    [Fact]
    public async Task TwoSchedulersOnOneRedisQueueEachDueJobExactlyOncePerPeriod()
    {
        await using var jb = new JobBench();
        var site = await jb.CreateSiteAsync();
        await PrepareAsync(site, new SchedulerEvents
        {
            ["all"] = ["sched.tasks.every_interval"],
            ["hourly"] = ["sched.tasks.hourly"],
            Cron = { ["*/15 * * * *"] = ["sched.tasks.quarter"] },
        });
        foreach (var method in new[] { "sched.tasks.every_interval", "sched.tasks.hourly", "sched.tasks.quarter" })
            jb.Host.Methods.Register(method, (_, _, _) => Task.FromResult<object?>(null));

        var redis = (await RedisConnections.Outside.QueueAsync(jb.RedisUrl));
        var key = SchedulerLeadership.KeyFor(jb.BenchId);
        var a = new SchedulerLeadership(redis, key, TimeSpan.FromSeconds(30), NullLogger.Instance);
        var b = new SchedulerLeadership(redis, key, TimeSpan.FromSeconds(30), NullLogger.Instance);
        var clock = new FakeClock(FakeClock.Utc(2026, 5, 6, 9, 59, 30));
        var schedulerA = NewScheduler(jb.Bench, clock, () => a.IsLeader);
        var schedulerB = NewScheduler(jb.Bench, clock, () => b.IsLeader);
        var ran = new List<string>();
        var leaders = new HashSet<string>();
        SchedulerLeadership? retired = null;

        // Three simulated hours of 60 s ticks, both replicas ticking at the same moment. Halfway
        // the leader steps down (a clean shutdown); the other one takes over.
        for (var minute = 0; minute < 180; minute++)
        {
            clock.Advance(TimeSpan.FromSeconds(60));
            if (minute == 90)
            {
                retired = a.IsLeader ? a : b;
                await retired.ReleaseAsync();
            }
            await Task.WhenAll(new[] { a, b }.Where(l => l != retired).Select(l => l.RefreshAsync()));
            Assert.False(a.IsLeader && b.IsLeader, "two leaders at once");
            leaders.Add(a.IsLeader ? "a" : b.IsLeader ? "b" : "none");
            await Task.WhenAll(schedulerA.TickAsync(), schedulerB.TickAsync());
            ran.AddRange(await Drain.ScheduledJobsAsync(jb, clock));
        }
        Assert.Equal(["a", "b"], leaders.Order());
        // 10:00 … 12:00; every quarter from 10:00 to 12:15 … 12:45; All every 4 minutes from 10:00 to 12:56.
        Assert.Equal(3, ran.Count(r => r == "tasks.hourly"));
        Assert.Equal(12, ran.Count(r => r == "tasks.quarter"));
        Assert.Equal(45, ran.Count(r => r == "tasks.every_interval"));
        await using var db = await site.OpenDatabaseAsync();
        var logs = await db.QueryAsync($"SELECT {db.Dialect.Quote("status")} AS s FROM {db.Dialect.Quote(ScheduledJobType.LogTable)}", []);
        Assert.Equal(15, logs.Count);
        Assert.All(logs, l => Assert.Equal("Complete", l["s"]));
    }

    [Fact]
    public async Task ConcurrentEnqueuesOfTheSameDueJobQueueItOnce()
    {
        await using var jb = new JobBench();
        var site = await jb.CreateSiteAsync();
        await PrepareAsync(site, new SchedulerEvents { ["hourly"] = ["sched.tasks.hourly"] });
        var clock = new FakeClock(FakeClock.Utc(2026, 5, 6, 10, 0, 1));
        // No leader election here: eight replicas tick at once and only Redis's atomic check stands between them.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => NewScheduler(jb.Bench, clock).TickAsync()));
        Assert.Equal(1, results.Sum(r => r.Enqueued.Count));
        Assert.Equal(7, results.Sum(r => r.AlreadyQueued.Count));
    }
}
