using SharpBench.Jobs;
using SharpBench.Scheduling;
using SharpBench.Tests.Jobs;

namespace SharpBench.Tests.Support;

/// <summary>Runs what a test bench has queued, in the test process, until its queues are empty.</summary>
public static class Drain
{
    /// <summary>A burst worker (the library loop) on <paramref name="queues"/>, every queue when none are given; at most a minute.</summary>
    public static async Task JobsAsync(JobBench bench, params string[] queues)
    {
        var worker = bench.InProcessWorker(new WorkerOptions { Queues = queues.Length > 0 ? queues : bench.Settings.QueueNames.ToList(), Burst = true });
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await worker.RunAsync(limit.Token);
    }

    /// <summary>
    /// The scheduled jobs queued by ticks, run one by one on <paramref name="clock"/>'s time as a
    /// worker would; returns the Scheduled Job Type of each, in the order they ran.
    /// </summary>
    public static async Task<List<string>> ScheduledJobsAsync(JobBench bench, TimeProvider clock)
    {
        var ran = new List<string>();
        while (await bench.Backend.DequeueAsync(["short", "default", "long"], "sim-worker") is { } job)
        {
            var site = bench.Sites.Find(job.Site)!;
            await using (var ctx = new FrappeContext(site, job.User))
            {
                ctx.Items["job"] = job;
                await new ScheduledJobRunner(clock).RunAsync(ctx, (string)job.Kwargs["scheduled_job_type"]!);
            }
            job.Status = JobStatus.Finished;
            job.EndedAt = JobRecord.Now();
            await bench.Backend.CompleteAsync(job, TimeSpan.FromMinutes(10));
            ran.Add((string)job.Kwargs["scheduled_job_type"]!);
        }
        return ran;
    }
}
