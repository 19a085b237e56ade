using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Jobs;
using SharpBench.Scheduling;
using SharpBench.Sites;
using SharpBench.Tests.App;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Faults;

/// <summary>
/// Experiment 7 of the fault suite: the whole stack (<c>bench serve</c>, two <c>bench worker</c>,
/// two <c>bench schedule</c>, Redis) over a MariaDB site and a PostgreSQL site, while the leading
/// scheduler is killed with SIGKILL and restarted every 2–4 s (soak: 1–2 s) across a minute
/// boundary. Counted per site: the every-minute cron event's runs, the distinct minutes they ran
/// in, and their marker rows; promised: each due minute's event exactly once.
/// </summary>
public sealed class SchedulerKillTests(ITestOutputHelper output)
{
    private static JsonObject FastScheduler => new() { ["scheduler_tick_interval"] = 0.5, ["scheduler_lease"] = 3 };

    private static async Task<int?> LeaderPidAsync(JobBench jb)
    {
        var owner = (string?)await (await RedisConnections.Outside.QueueAsync(jb.RedisUrl)).GetDatabase().StringGetAsync(SchedulerLeadership.KeyFor(jb.BenchId));
        return owner is null ? null : int.Parse(owner.Split(':')[^2], CultureInfo.InvariantCulture);
    }

    private static async Task PrepareAsync(Site site)
    {
        await using var db = await site.OpenDatabaseAsync();
        await SchedulerState.SetEnabledAsync(db, true);
        var d = db.Dialect;
        // Only the test app's every-minute event, due at once.
        await db.ExecuteAsync($"UPDATE {d.Quote(ScheduledJobType.Table)} SET {d.Quote("stopped")} = 1 WHERE {d.Quote("method")} <> @p0", [ScheduledMethods.CronTick]);
        await db.ExecuteAsync($"UPDATE {d.Quote(ScheduledJobType.Table)} SET {d.Quote("stopped")} = 0, {d.Quote("last_execution")} = @p0 WHERE {d.Quote("method")} = @p1", [DateTime.Now.AddHours(-3), ScheduledMethods.CronTick]);
    }

    private static async Task<List<(string Status, DateTime Created)>> CronRunsAsync(Site site)
    {
        await using var db = await site.OpenDatabaseAsync();
        var job = (await ScheduledJobType.FindAsync(db, ScheduledMethods.CronTick))!;
        var d = db.Dialect;
        var rows = await db.QueryAsync($"SELECT {d.Quote("status")}, {d.Quote("creation")} FROM {d.Quote(ScheduledJobType.LogTable)} WHERE {d.Quote("scheduled_job_type")} = @p0", [job.Name]);
        return rows.Select(r => ((string)r["status"]!, Convert.ToDateTime(r["creation"], CultureInfo.InvariantCulture))).ToList();
    }

    private static DateTime Minute(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMinute);

    [Fact]
    public async Task Killing_the_leading_scheduler_runs_each_minutes_event_exactly_once_on_MariaDB_and_PostgreSQL()
    {
        var (killMin, killSpread) = FaultSuite.Soak ? (1000, 1000) : (2000, 2000);
        for (var round = 1; round <= FaultSuite.Rounds; round++)
        {
            await using var jb = new JobBench(extraCommon: FastScheduler);
            var sites = new[] { (Kind: DbKind.MariaDb, Site: await jb.CreateSiteAsync(DbKind.MariaDb)), (Kind: DbKind.Postgres, Site: await jb.CreateSiteAsync(DbKind.Postgres)) };
            foreach (var (_, site) in sites)
                await PrepareAsync(site);
            jb.StartBench("serve", "--port", Ports.Free().ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1");
            jb.StartBench("worker", "--queue", "short,default,long");
            jb.StartBench("worker", "--queue", "short,default,long");
            var schedulers = new List<Process> { jb.StartBench("schedule"), jb.StartBench("schedule") };
            await JobBench.WaitUntilAsync(async () => await LeaderPidAsync(jb) is not null, TimeSpan.FromSeconds(60), "a scheduler leads\n" + jb.OutputText);

            // Kill leaders until the next minute boundary has passed by a few seconds.
            var boundary = Minute(DateTime.Now).AddMinutes(1);
            var random = new Random(round);
            var kills = 0;
            while (DateTime.Now < boundary.AddSeconds(6))
            {
                await Task.Delay(killMin + random.Next(killSpread));
                if (await LeaderPidAsync(jb) is not { } leader || schedulers.FindIndex(p => p.Id == leader) is var i && i < 0)
                    continue;
                Signals.Send(leader, Signals.SigKill);
                await schedulers[i].WaitForExitAsync();
                schedulers[i] = jb.StartBench("schedule");
                kills++;
            }
            foreach (var (_, site) in sites)
            {
                await JobBench.WaitUntilAsync(async () => (await CronRunsAsync(site)).Any(r => r.Status == "Complete" && Minute(r.Created) >= boundary),
                    TimeSpan.FromSeconds(60), $"the {boundary:HH:mm} cron event ran on {site.Name}\n{jb.OutputText[^Math.Min(3000, jb.OutputText.Length)..]}");
            }
            // Ticks keep coming: nothing may run twice in its minute meanwhile.
            await Task.Delay(3000);
            var ended = DateTime.Now;

            foreach (var (kind, site) in sites)
            {
                var runs = await CronRunsAsync(site);
                var minutes = runs.Select(r => Minute(r.Created)).Distinct().Count();
                var markers = (await JobBench.MarkersAsync(site)).Count(m => m.StartsWith("cron-", StringComparison.Ordinal));
                var due = (int)(Minute(ended) - boundary).TotalMinutes + 1;
                FaultSuite.Report(output, $"scheduler-kill {kind} round {round}",
                    ("runs", runs.Count), ("minutes", minutes), ("markers", markers), ("duplicates", runs.Count - minutes), ("boundaries_crossed", due), ("leader_kills", kills));
                Assert.All(runs, r => Assert.Equal("Complete", r.Status));
                Assert.Equal(minutes, runs.Count);
                Assert.Equal(runs.Count, markers);
                // The first run (due at start) plus one per minute boundary crossed.
                Assert.InRange(runs.Count, due, due + 1);
            }
            Assert.True(kills > 0, "no scheduler was killed");
        }
    }
}
