using System.Diagnostics;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Jobs;
using SharpBench.Scheduling;
using SharpBench.Sites;
using SharpBench.Tests.App;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Scheduling;

/// <summary>Real <c>bench schedule</c> and <c>bench worker</c> processes against real Redis.</summary>
public class SchedulerProcessTests
{
    private const int LeaseSeconds = 3;

    private static JsonObject FastScheduler => new() { ["scheduler_tick_interval"] = 0.5, ["scheduler_lease"] = LeaseSeconds };

    private static async Task<int?> LeaderPidAsync(JobBench jb)
    {
        var owner = (string?)await (await RedisConnections.Outside.QueueAsync(jb.RedisUrl)).GetDatabase().StringGetAsync(SchedulerLeadership.KeyFor(jb.BenchId));
        return owner is null ? null : int.Parse(owner.Split(':')[^2], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task WhenTheLeaderIsKilledTheStandbyTakesOverWithinOneLease()
    {
        await using var jb = new JobBench(extraCommon: FastScheduler);
        var first = jb.StartBench("schedule");
        var second = jb.StartBench("schedule");
        int? leader = null;
        await JobBench.WaitUntilAsync(async () => (leader = await LeaderPidAsync(jb)) is not null && jb.OutputText.Contains("stands by", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "one scheduler leads and the other stands by");
        var (dead, standby) = leader == first.Id ? (first, second) : (second, first);
        Assert.Equal(standby.Id == first.Id ? second.Id : first.Id, leader);
        Assert.Contains($":{standby.Id}:", jb.OutputText.Split('\n').Single(l => l.Contains("stands by", StringComparison.Ordinal)), StringComparison.Ordinal);

        dead.Kill(entireProcessTree: true);
        var sw = Stopwatch.StartNew();
        await JobBench.WaitUntilAsync(async () => await LeaderPidAsync(jb) == standby.Id, TimeSpan.FromSeconds(LeaseSeconds * 3), "the standby takes the lock");
        // The lock of a killed leader expires after one lease; the standby checks every third of one.
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(LeaseSeconds + LeaseSeconds / 3.0 + 1.5), $"took over after {sw.Elapsed.TotalSeconds:0.0} s");
        await JobBench.WaitUntilAsync(() => Task.FromResult(jb.OutputText.Split('\n').Any(l => l.Contains($":{standby.Id}:", StringComparison.Ordinal) && l.Contains("is now the leader", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(10), "the standby logs that it leads");

        // SIGTERM is a clean stop that gives the lock up at once.
        using (var kill = Process.Start("kill", ["-TERM", standby.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await standby.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, standby.ExitCode);
        Assert.Null(await LeaderPidAsync(jb));
    }

    [Fact]
    public async Task BenchScheduleRunsEveryThreadAtBackgroundNiceness()
    {
        var common = FastScheduler;
        common["background_process_niceness"] = 7;
        await using var jb = new JobBench(extraCommon: common);
        var scheduler = jb.StartBench("schedule");
        await JobBench.WaitUntilAsync(async () => await LeaderPidAsync(jb) == scheduler.Id, TimeSpan.FromSeconds(30), "the scheduler leads\n" + jb.OutputText);

        var threads = ThreadNiceness.Of(scheduler.Id);
        scheduler.Kill(entireProcessTree: true);
        await scheduler.WaitForExitAsync();

        Assert.True(threads.Count > 1, "a .NET process has several threads");
        Assert.All(threads, t => Assert.Equal(Math.Min(19, ThreadNiceness.Own() + 7), t));
    }

    [Fact]
    public async Task ABadTickIntervalStopsBenchScheduleAtStart()
    {
        await using var jb = new JobBench(extraCommon: new JsonObject { ["scheduler_tick_interval"] = "often" });
        var exit = await jb.RunBenchAsync("schedule");
        Assert.Equal(1, exit);
        Assert.Contains("scheduler_tick_interval", jb.OutputText, StringComparison.Ordinal);
        Assert.Null(await LeaderPidAsync(jb));
    }

    [Fact]
    public async Task WithoutRedisBenchScheduleSaysWhichKeyToSet()
    {
        await using var jb = new JobBench(redisUrl: "");
        var exit = await jb.RunBenchAsync("schedule");
        Assert.Equal(1, exit);
        Assert.Contains("redis_queue", jb.OutputText, StringComparison.Ordinal);
    }

    private static async Task<List<(string Status, DateTime Created)>> LogsAsync(Site site, string method)
    {
        await using var db = await site.OpenDatabaseAsync();
        var job = (await ScheduledJobType.FindAsync(db, method))!;
        var d = db.Dialect;
        var rows = await db.QueryAsync($"SELECT {d.Quote("status")}, {d.Quote("creation")} FROM {d.Quote(ScheduledJobType.LogTable)} WHERE {d.Quote("scheduled_job_type")} = @p0", [job.Name]);
        return rows.Select(r => ((string)r["status"]!, DateTime.Parse(Convert.ToString(r["creation"], System.Globalization.CultureInfo.InvariantCulture)!, System.Globalization.CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>Logs in as Administrator on the running <c>bench serve</c> and asks frappe.utils.scheduler.get_scheduler_status.</summary>
    private static async Task<string?> SchedulerStatusOverHttpAsync(int port, string site)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Frappe-Site-Name", site);
        var sid = await ServeProcess.LoginWhenUpAsync(http, "bench serve answers the login");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/method/frappe.utils.scheduler.get_scheduler_status");
        request.Headers.Add("Cookie", sid);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!["status"]!.GetValue<string>();
    }

    [Fact]
    public async Task AnAppsCronAndHourlyEventsRunOncePerPeriodThroughTwoSchedulersAndAWorker()
    {
        await using var jb = new JobBench(extraCommon: FastScheduler);
        var site = await jb.CreateSiteAsync(DbKind.MariaDb);
        await using (var db = await site.OpenDatabaseAsync())
        {
            await SchedulerState.SetEnabledAsync(db, true);
            var d = db.Dialect;
            // Only the test app's jobs, and last run long enough ago that both are due now.
            await db.ExecuteAsync($"UPDATE {d.Quote(ScheduledJobType.Table)} SET {d.Quote("stopped")} = 1 WHERE {d.Quote("method")} NOT LIKE @p0", ["sb_test_app.%"]);
            await db.ExecuteAsync($"UPDATE {d.Quote(ScheduledJobType.Table)} SET {d.Quote("last_execution")} = @p0 WHERE {d.Quote("method")} LIKE @p1", [DateTime.Now.AddHours(-3), "sb_test_app.%"]);
        }
        // The issue's whole stack: the web backend beside the worker and two schedulers.
        var port = Ports.Free();
        jb.StartBench("serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1");
        jb.StartBench("worker", "--queue", "short,default,long");
        jb.StartBench("schedule");
        jb.StartBench("schedule");
        var started = DateTime.Now;
        Assert.Equal("active", await SchedulerStatusOverHttpAsync(port, site.Name));

        await JobBench.WaitUntilAsync(async () =>
            (await LogsAsync(site, ScheduledMethods.CronTick)).Any(l => l.Status == "Complete") && (await LogsAsync(site, ScheduledMethods.Hourly)).Any(l => l.Status == "Complete"),
            TimeSpan.FromSeconds(60), "the cron and hourly events ran to Complete\n" + jb.OutputText);
        // Let many more ticks pass: nothing runs twice in its period.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var ended = DateTime.Now;

        var cron = await LogsAsync(site, ScheduledMethods.CronTick);
        var hourly = await LogsAsync(site, ScheduledMethods.Hourly);
        Assert.All(cron.Concat(hourly), l => Assert.Equal("Complete", l.Status));
        Assert.Equal(cron.Count, cron.Select(l => l.Created.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture)).Distinct().Count());
        var minuteBoundaries = (int)(Trunc(ended, 60) - Trunc(started, 60)).TotalMinutes;
        Assert.InRange(cron.Count, 1, 1 + minuteBoundaries);
        Assert.InRange(hourly.Count, 1, 1 + (int)(Trunc(ended, 3600) - Trunc(started, 3600)).TotalHours);
        var markers = await JobBench.MarkersAsync(site);
        Assert.Equal(cron.Count, markers.Count(m => m.StartsWith("cron-", StringComparison.Ordinal)));
        Assert.Equal(hourly.Count, markers.Count(m => m.StartsWith("hourly-", StringComparison.Ordinal)));
        Assert.Single(jb.OutputText.Split('\n'), l => l.Contains("stands by", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BenchStartWithoutRedisRunsTheSchedulerInProcess()
    {
        await using var jb = new JobBench(redisUrl: "", extraCommon: FastScheduler);
        var site = await jb.CreateSiteAsync();
        await using (var db = await site.OpenDatabaseAsync())
        {
            await SchedulerState.SetEnabledAsync(db, true);
            var d = db.Dialect;
            await db.ExecuteAsync($"UPDATE {d.Quote(ScheduledJobType.Table)} SET {d.Quote("last_execution")} = @p0 WHERE {d.Quote("method")} = @p1",
                [DateTime.Now.AddDays(-2), ScheduledMethods.Hourly]);
        }
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        jb.StartBench("start", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await JobBench.WaitUntilAsync(async () => (await LogsAsync(site, ScheduledMethods.Hourly)).Any(l => l.Status == "Complete"),
            TimeSpan.FromSeconds(60), "the hourly event ran inside bench start\n" + jb.OutputText);
        Assert.Single(await LogsAsync(site, ScheduledMethods.Hourly));
        Assert.Single(await JobBench.MarkersAsync(site), m => m.StartsWith("hourly-", StringComparison.Ordinal));
    }

    private static DateTime Trunc(DateTime t, int seconds) => new(t.Ticks - t.Ticks % (seconds * TimeSpan.TicksPerSecond));
}
