using System.Diagnostics;
using SharpBench.Data;
using SharpBench.Jobs;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Faults;

/// <summary>
/// Experiment 1 of the fault suite: jobs that each insert one row (not idempotent), two
/// <c>bench worker</c> processes, and one of them killed with SIGKILL at random moments and
/// restarted, while the jobs run. Counted: jobs enqueued, rows, distinct keys; promised: every job's
/// row exactly once (no loss, no duplicate).
/// </summary>
public sealed class WorkerKillTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DbKind.MariaDb)]
    [InlineData(DbKind.Postgres)]
    [InlineData(DbKind.Sqlite)]
    public async Task Killing_workers_at_random_under_load_loses_and_duplicates_no_job(DbKind kind)
    {
        // Short mode (CI): a few kills spaced so a restarted worker gets to run jobs before the
        // next one; the soak kills at the rate until 80% of the jobs are done.
        var jobs = FaultSuite.Soak ? 5000 : 400;
        var maxKills = FaultSuite.Soak ? int.MaxValue : 4;
        var (killMin, killSpread) = FaultSuite.Soak ? (250, 500) : (150, 250);
        var limit = TimeSpan.FromSeconds(FaultSuite.Soak ? 600 : 60);
        for (var round = 1; round <= FaultSuite.Rounds; round++)
        {
            await using var bench = new JobBench();
            var site = await bench.CreateSiteAsync(kind);
            await ExactlyOnceTests.PrepareAsync(site);
            await using (var ctx = bench.Context(site))
            {
                for (var i = 0; i < jobs; i++)
                    await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.insert_row", new { key = "k" + i });
                await ctx.CommitAsync();
            }
            var workers = new[] { bench.StartBench("worker", "--queue", "default"), bench.StartBench("worker", "--queue", "default") };
            var kills = 0;
            var random = new Random(round);
            var clock = Stopwatch.StartNew();
            var nextKill = TimeSpan.Zero;
            List<string> keys;
            while (true)
            {
                keys = await ExactlyOnceTests.RowKeysAsync(site);
                if (keys.Distinct().Count() >= jobs && (await bench.Backend.CountsAsync(["default"])).All(c => c.Queued == 0 && c.Started == 0))
                    break;
                Assert.True(clock.Elapsed < limit, $"only {keys.Distinct().Count()} of {jobs} jobs done after {limit.TotalSeconds} s\n{bench.OutputText[^Math.Min(3000, bench.OutputText.Length)..]}");
                // The first kill as soon as jobs are running, then at random intervals while most
                // jobs are still to run; afterwards the reclaim finishes the killed workers' entries.
                // Only a worker that has started takes jobs: killing one still starting (seconds on
                // a loaded machine) tests nothing and, at the soak's rate, starved the run.
                var working = Enumerable.Range(0, workers.Length).Where(w => bench.OutputText.Contains($"started, pid {workers[w].Id},", StringComparison.Ordinal)).ToArray();
                if (keys.Count > 0 && keys.Count < jobs * 0.8 && kills < maxKills && clock.Elapsed >= nextKill && working.Length > 0)
                {
                    var victim = working[random.Next(working.Length)];
                    Signals.Send(workers[victim].Id, Signals.SigKill);
                    await workers[victim].WaitForExitAsync();
                    kills++;
                    workers[victim] = bench.StartBench("worker", "--queue", "default");
                    nextKill = clock.Elapsed + TimeSpan.FromMilliseconds(killMin + random.Next(killSpread));
                }
                await Task.Delay(50);
            }
            var duplicates = keys.Count - keys.Distinct().Count();
            var lost = jobs - keys.Distinct().Count();
            FaultSuite.Report(output, $"worker-kill {kind} round {round}",
                ("jobs", jobs), ("rows", keys.Count), ("duplicates", duplicates), ("lost", lost), ("kills", kills), ("seconds", Math.Round(clock.Elapsed.TotalSeconds, 1)));
            Assert.True(kills > 0, "no worker was killed while jobs ran");
            Assert.Equal(0, lost);
            Assert.Equal(0, duplicates);
        }
    }
}
