using SharpBench.Apps;
using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Scheduling;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Scheduling;

public class ScheduledJobSyncTests
{
    private static readonly DateTime Now = new(2026, 5, 6, 10, 0, 0);

    private static async Task<List<ScheduledJobType>> RowsAsync(Database db) => await ScheduledJobType.LoadAllAsync(db);

    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.MariaDb)]
    [InlineData(DbKind.Postgres)]
    public async Task NewSiteHasTheCoreAppsJobsAndTheSchedulerOff(DbKind kind)
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(kind);
        await using var db = await site.OpenDatabaseAsync();
        var rows = await RowsAsync(db);
        Assert.Contains(rows, r => r.Method == SchedulingMethods.ClearExpiredSessions && r.Frequency == "Daily" && r.CreateLog);
        Assert.Contains(rows, r => r.Method == SchedulingMethods.RunLogCleanUp && r.Frequency == "Daily");
        Assert.Equal("clear_expired_sessions", rows.Single(r => r.Method == SchedulingMethods.ClearExpiredSessions).Name.Split('.')[^1]);
        // As in Frappe, a new site starts with the scheduler off until enable-scheduler.
        Assert.False(await SystemSettings.SchedulerEnabledAsync(db));
    }

    [Fact]
    public async Task SyncAddsNewRemovesUndeclaredAndKeepsStoppedAndLastExecution()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        var app = new TestApp(new SchedulerEvents
        {
            ["hourly"] = ["sched_app.tasks.hourly_sync"],
            ["daily_long"] = ["sched_app.tasks.rebuild"],
            ["all"] = ["sched_app.tasks.poll"],
            Cron = { ["*/15 * * * *"] = ["sched_app.tasks.quarter"] },
        });
        await using var db = await site.OpenDatabaseAsync();
        var first = await ScheduledJobSync.SyncAsync(db, [FrappeApp.Instance, app], Now);
        Assert.Empty(first.Errors);
        Assert.Equal(4, first.Added.Count);
        var rows = await RowsAsync(db);
        var quarter = rows.Single(r => r.Method == "sched_app.tasks.quarter");
        Assert.Equal(("Cron", "*/15 * * * *", true), (quarter.Frequency, quarter.CronFormat, quarter.CreateLog));
        Assert.Equal(("Daily Long", "long"), (rows.Single(r => r.Method == "sched_app.tasks.rebuild").Frequency, rows.Single(r => r.Method == "sched_app.tasks.rebuild").Queue));
        Assert.False(rows.Single(r => r.Method == "sched_app.tasks.poll").WritesLog);
        Assert.Equal("tasks.hourly_sync", rows.Single(r => r.Method == "sched_app.tasks.hourly_sync").Name);
        Assert.Equal(Now, rows.Single(r => r.Method == "sched_app.tasks.hourly_sync").Creation);

        // An operator stopped one job and another has run.
        var d = db.Dialect;
        await db.ExecuteAsync($"UPDATE {d.Quote(ScheduledJobType.Table)} SET {d.Quote("stopped")} = 1 WHERE {d.Quote("method")} = @p0", ["sched_app.tasks.hourly_sync"]);
        var ran = new DateTime(2026, 5, 6, 11, 0, 0, 123);
        await db.ExecuteAsync($"UPDATE {d.Quote(ScheduledJobType.Table)} SET {d.Quote("last_execution")} = @p0 WHERE {d.Quote("method")} = @p1", [ran, "sched_app.tasks.rebuild"]);

        // The app drops poll, moves quarter to every 5 minutes and adds weekly work.
        app.Events = new SchedulerEvents
        {
            ["hourly"] = ["sched_app.tasks.hourly_sync"],
            ["daily_long"] = ["sched_app.tasks.rebuild"],
            ["weekly"] = ["sched_app.tasks.report"],
            Cron = { ["*/5 * * * *"] = ["sched_app.tasks.quarter"] },
        };
        var second = await ScheduledJobSync.SyncAsync(db, [FrappeApp.Instance, app], Now.AddDays(1));
        Assert.Empty(second.Errors);
        Assert.Equal(["tasks.poll", "tasks.quarter"], second.Removed.Order());
        Assert.Equal(2, second.Added.Count);
        rows = await RowsAsync(db);
        Assert.DoesNotContain(rows, r => r.Method == "sched_app.tasks.poll");
        Assert.Equal("*/5 * * * *", rows.Single(r => r.Method == "sched_app.tasks.quarter").CronFormat);
        Assert.True(rows.Single(r => r.Method == "sched_app.tasks.hourly_sync").Stopped);
        Assert.Equal(ran, rows.Single(r => r.Method == "sched_app.tasks.rebuild").LastExecution);
        Assert.Equal(Now, rows.Single(r => r.Method == "sched_app.tasks.rebuild").Creation);

        // A third sync with nothing changed changes nothing.
        var third = await ScheduledJobSync.SyncAsync(db, [FrappeApp.Instance, app], Now.AddDays(2));
        Assert.Empty(third.Added);
        Assert.Empty(third.Removed);
        Assert.Equal(rows, await RowsAsync(db));
    }

    [Fact]
    public async Task ABadCronExpressionIsNamedWithItsAppAndTheOtherJobsStillSync()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        var app = new TestApp(new SchedulerEvents
        {
            ["hourly"] = ["sched_app.tasks.fine"],
            ["every_minute"] = ["sched_app.tasks.unknown_frequency"],
            Cron = { ["61 * * * *"] = ["sched_app.tasks.broken"], ["0 9 * * 1-5"] = ["sched_app.tasks.weekday"] },
        });
        await using var db = await site.OpenDatabaseAsync();
        var result = await ScheduledJobSync.SyncAsync(db, [FrappeApp.Instance, app], Now);
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.Contains(app.Name, StringComparison.Ordinal) && e.Contains("'61 * * * *'", StringComparison.Ordinal) && e.Contains("sched_app.tasks.broken", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains(app.Name, StringComparison.Ordinal) && e.Contains("every_minute", StringComparison.Ordinal));
        var methods = (await RowsAsync(db)).Select(r => r.Method).ToHashSet();
        Assert.Contains("sched_app.tasks.fine", methods);
        Assert.Contains("sched_app.tasks.weekday", methods);
        Assert.Contains(SchedulingMethods.ClearExpiredSessions, methods);
        Assert.DoesNotContain("sched_app.tasks.broken", methods);
    }

    [Fact]
    public async Task OneMethodOnTwoFrequenciesGetsTwoRowsWithDistinctNames()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        var app = new TestApp(new SchedulerEvents
        {
            ["hourly"] = ["sched_app.tasks.both"],
            Cron = { ["0 12 * * *"] = ["sched_app.tasks.both"] },
        });
        await using var db = await site.OpenDatabaseAsync();
        await ScheduledJobSync.SyncAsync(db, [app], Now);
        var rows = (await RowsAsync(db)).Where(r => r.Method == "sched_app.tasks.both").ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(2, rows.Select(r => r.Name).Distinct().Count());
        Assert.Equal(2, rows.Select(r => r.JobId).Distinct().Count());
    }

    [Fact]
    public async Task MigrateSyncsJobsAndRestoresARemovedCoreJob()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite, setDefault: true);
        await using (var db = await site.OpenDatabaseAsync())
        {
            var d = db.Dialect;
            await db.ExecuteAsync($"DELETE FROM {d.Quote(ScheduledJobType.Table)} WHERE {d.Quote("method")} = @p0", [SchedulingMethods.ClearExpiredSessions]);
            await db.ExecuteAsync($"UPDATE {d.Quote(ScheduledJobType.Table)} SET {d.Quote("stopped")} = 1 WHERE {d.Quote("method")} = @p0", [SchedulingMethods.RunLogCleanUp]);
        }
        var run = await BenchCli.RunAsync(b.Root, "--site", site.Name, "migrate");
        Assert.True(run.ExitCode == 0, run.Output);
        await using (var db = await site.OpenDatabaseAsync())
        {
            var rows = await RowsAsync(db);
            Assert.Contains(rows, r => r.Method == SchedulingMethods.ClearExpiredSessions);
            Assert.True(rows.Single(r => r.Method == SchedulingMethods.RunLogCleanUp).Stopped);
        }
    }
}
