using Microsoft.Extensions.Logging.Abstractions;
using SharpBench.Jobs;
using SharpBench.Sites;

namespace SharpBench.Tests.Jobs;

/// <summary>
/// Read-only and maintenance mode (issue 21, item 4): a worker leaves a site in maintenance mode
/// alone. Its job waits, unacknowledged, and runs once the site leaves it.
/// </summary>
public sealed class MaintenanceWorkerTests
{
    [Fact]
    public async Task A_job_of_a_site_in_maintenance_waits_and_runs_after_it()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await ExactlyOnceTests.PrepareAsync(site);
        await using (var ctx = bench.Context(site))
        {
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.insert_row", new { key = "held" });
            await ctx.CommitAsync();
        }
        var taken = Assert.Single(await bench.Backend.TakeAsync(bench.Settings.QueueNames.ToList(), "worker", 1));
        MaintenanceMode.Set(bench.Bench, site.Name, true);
        // Also for read-only mode: a job writes, so it waits there too.
        ConfigFile.Update(Path.Combine(site.Path, Bench.SiteConfigFile), c => c["allow_reads_during_maintenance"] = 1);
        // A process sees another's config change within the site registry's recheck interval.
        await Task.Delay(SiteRegistry.RecheckInterval + TimeSpan.FromMilliseconds(200));

        var running = new JobExecutor(bench.Sites, NullLogger.Instance).RunAsync(taken, CancellationToken.None);
        await Task.Delay(JobExecutor.MaintenancePoll * 2.5);
        Assert.False(running.IsCompleted);
        Assert.Empty(await ExactlyOnceTests.RowKeysAsync(site));

        MaintenanceMode.Set(bench.Bench, site.Name, false);
        var done = await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(JobStatus.Finished, done.Status);
        Assert.Equal(["held"], await ExactlyOnceTests.RowKeysAsync(site));
    }
}
