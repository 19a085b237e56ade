using System.Collections.Concurrent;
using SharpBench.Apps;
using SharpBench.Data;
using SharpBench.Scheduling;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Scheduling;

public class ScheduledJobRunnerTests
{
    private static readonly ConcurrentDictionary<string, string> RanAs = new();

    private static string NewMethodName(bool fail) => $"sched_test.tasks.{(fail ? "fails" : "works")}_{Guid.NewGuid():N}";

    /// <summary>Registers on the site's host a method that writes a default value (so commit/rollback shows) and records its user.</summary>
    private static void RegisterMethod(Site site, string name, bool fail)
    {
        site.Host.Methods.Register(name, async (ctx, _, ct) =>
        {
            RanAs[name] = ctx.User;
            var db = await ctx.DbAsync(ct);
            await Rows.InsertAsync(db, "tabDefaultValue", new Dictionary<string, object?> { ["name"] = Guid.NewGuid().ToString("N")[..10], ["parent"] = "__default", ["defkey"] = name, ["defvalue"] = "ran" }, ct);
            if (fail)
                throw new InvalidOperationException("boom from " + name);
            return null;
        });
    }

    private static async Task<(Site Site, TempBench Bench)> SiteWithJobsAsync(SchedulerEvents events, DbKind kind = DbKind.Sqlite)
    {
        var b = new TempBench();
        var site = await b.CreateSiteAsync(kind);
        await using var db = await site.OpenDatabaseAsync();
        await db.BeginAsync();
        await SystemSettings.SetAsync(db, "time_zone", "UTC");
        await db.CommitAsync();
        var result = await ScheduledJobSync.SyncAsync(db, [new TestApp(events)], new DateTime(2026, 5, 6, 9, 0, 0));
        Assert.Empty(result.Errors);
        return (site, b);
    }

    private static async Task<List<Dictionary<string, object?>>> LogsAsync(Database db, string jobType)
    {
        var d = db.Dialect;
        return await db.QueryAsync($"SELECT {d.Quote("status")}, {d.Quote("details")} FROM {d.Quote(ScheduledJobType.LogTable)} WHERE {d.Quote("scheduled_job_type")} = @p0", [jobType]);
    }

    private static async Task<bool> WroteAsync(Database db, string method)
    {
        var d = db.Dialect;
        return await db.ScalarAsync($"SELECT 1 FROM {d.Quote("tabDefaultValue")} WHERE {d.Quote("defkey")} = @p0", [method]) is not null;
    }

    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.MariaDb)]
    public async Task ASuccessfulRunIsLoggedCompleteAndMovesLastExecution(DbKind kind)
    {
        var method = NewMethodName(fail: false);
        var (site, bench) = await SiteWithJobsAsync(new SchedulerEvents { ["hourly"] = [method] }, kind);
        RegisterMethod(site, method, fail: false);
        await using var _ = bench;
        var clock = new FakeClock(FakeClock.Utc(2026, 5, 6, 11, 0, 7));
        await using (var ctx = new FrappeContext(site, "Guest"))
            await new ScheduledJobRunner(clock).RunAsync(ctx, method);

        Assert.Equal("Administrator", RanAs[method]);
        await using var db = await site.OpenDatabaseAsync();
        var job = (await ScheduledJobType.FindAsync(db, method))!;
        Assert.Equal(new DateTime(2026, 5, 6, 11, 0, 7), job.LastExecution);
        var log = Assert.Single(await LogsAsync(db, job.Name));
        Assert.Equal("Complete", log["status"]);
        Assert.True(await WroteAsync(db, method));
        // The next hourly run counts from this one.
        Assert.Equal(FakeClock.Utc(2026, 5, 6, 12), job.NextExecution(TimeZoneInfo.Utc, 240, site.Name));
    }

    [Fact]
    public async Task AFailedRunIsLoggedWithItsStackRolledBackAndRaised()
    {
        var method = NewMethodName(fail: true);
        var (site, bench) = await SiteWithJobsAsync(new SchedulerEvents { Cron = { ["*/5 * * * *"] = [method] } });
        RegisterMethod(site, method, fail: true);
        await using var _ = bench;
        var clock = new FakeClock(FakeClock.Utc(2026, 5, 6, 11, 5));
        await using (var ctx = new FrappeContext(site, "Administrator"))
        {
            var e = await Assert.ThrowsAsync<ScheduledJobFailedException>(() => new ScheduledJobRunner(clock).RunAsync(ctx, method));
            Assert.Contains("boom from " + method, e.Message, StringComparison.Ordinal);
        }
        await using var db = await site.OpenDatabaseAsync();
        var job = (await ScheduledJobType.FindAsync(db, method))!;
        var log = Assert.Single(await LogsAsync(db, job.Name));
        Assert.Equal("Failed", log["status"]);
        var details = (string)log["details"]!;
        Assert.Contains("InvalidOperationException: boom from " + method, details, StringComparison.Ordinal);
        Assert.Contains("ScheduledJobRunnerTests", details, StringComparison.Ordinal);
        // The method's own writes were rolled back; the run still counts as the last execution.
        Assert.False(await WroteAsync(db, method));
        Assert.Equal(new DateTime(2026, 5, 6, 11, 5, 0), job.LastExecution);
        var d = db.Dialect;
        var errors = await db.QueryAsync($"SELECT {d.Quote("method")}, {d.Quote("error")} FROM {d.Quote("tabError Log")}", []);
        var error = Assert.Single(errors);
        Assert.Contains(method, (string)error["method"]!, StringComparison.Ordinal);
        Assert.Contains("boom from " + method, (string)error["error"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllJobsWriteNoLogButMoveLastExecution()
    {
        var method = NewMethodName(fail: false);
        var (site, bench) = await SiteWithJobsAsync(new SchedulerEvents { ["all"] = [method] });
        RegisterMethod(site, method, fail: false);
        await using var _ = bench;
        var clock = new FakeClock(FakeClock.Utc(2026, 5, 6, 11, 4, 1));
        await using (var ctx = new FrappeContext(site, "Administrator"))
            await new ScheduledJobRunner(clock).RunAsync(ctx, method);
        await using var db = await site.OpenDatabaseAsync();
        var job = (await ScheduledJobType.FindAsync(db, method))!;
        Assert.Empty(await LogsAsync(db, job.Name));
        Assert.Equal(new DateTime(2026, 5, 6, 11, 4, 1), job.LastExecution);
        Assert.True(await WroteAsync(db, method));
    }

    [Fact]
    public async Task AnUnknownJobTypeIsAClearErrorAndAnUnregisteredMethodAFailedRun()
    {
        var (site, bench) = await SiteWithJobsAsync(new SchedulerEvents { ["daily"] = ["sched_test.tasks.nobody_registered_me"] });
        await using var _ = bench;
        var clock = new FakeClock(FakeClock.Utc(2026, 5, 7));
        await using var ctx = new FrappeContext(site, "Administrator");
        await Assert.ThrowsAsync<DoesNotExistError>(() => new ScheduledJobRunner(clock).RunAsync(ctx, "no.such.job"));
        var e = await Assert.ThrowsAsync<ScheduledJobFailedException>(() => new ScheduledJobRunner(clock).RunAsync(ctx, "sched_test.tasks.nobody_registered_me"));
        Assert.Contains("not registered", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CoreCleanUpRemovesOnlyExpiredSessionsAndOldLogs()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        await using var db = await site.OpenDatabaseAsync();
        var d = db.Dialect;
        await db.BeginAsync();
        await SystemSettings.SetAsync(db, "time_zone", "UTC");
        await SystemSettings.SetAsync(db, "session_expiry", "06:00");
        foreach (var (sid, age) in new[] { ("old", 7), ("fresh", 5) })
            await Rows.InsertAsync(db, "tabSessions", new Dictionary<string, object?> { ["sid"] = sid, ["user"] = "Administrator", ["lastupdate"] = new DateTime(2026, 5, 6, 12 - age, 0, 0) });
        var job = (await ScheduledJobType.LoadAllAsync(db))[0].Name;
        foreach (var (name, created) in new[] { ("oldlog", new DateTime(2026, 1, 1)), ("newlog", new DateTime(2026, 5, 1)) })
            await Rows.InsertAsync(db, ScheduledJobType.LogTable, new Dictionary<string, object?> { ["name"] = name, ["creation"] = created, ["modified"] = created, ["scheduled_job_type"] = job, ["status"] = "Complete" });
        await db.CommitAsync();

        var clock = new FakeClock(FakeClock.Utc(2026, 5, 6, 12));
        Assert.Equal(1, await SchedulingMethods.ClearExpiredSessionsAsync(db, clock));
        Assert.Equal(["fresh"], (await db.QueryAsync($"SELECT {d.Quote("sid")} FROM {d.Quote("tabSessions")}", [])).Select(r => (string)r["sid"]!));
        await SchedulingMethods.CleanUpLogsAsync(db, clock);
        Assert.Equal(["newlog"], (await db.QueryAsync($"SELECT {d.Quote("name")} FROM {d.Quote(ScheduledJobType.LogTable)}", [])).Select(r => (string)r["name"]!));
    }
}
