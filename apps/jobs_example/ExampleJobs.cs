using System.Diagnostics;
using System.Text.Json.Nodes;
using SharpBench;
using SharpBench.Apps;
using SharpBench.Jobs;

namespace JobsExample;

/// <summary>
/// Methods by dotted name, registered when the app loads: a no-op job, and the two helpers
/// benchmarks/jobs.sh drives through <c>bench execute</c> (enqueue many, then read the outcome).
/// </summary>
public static class ExampleJobs
{
    [FrappeMethod("jobs_example.noop")]
    public static Task<object?> Noop(FrappeContext context, JsonObject kwargs, CancellationToken ct) => Task.FromResult<object?>(null);

    /// <summary>
    /// Enqueues <c>n</c> no-op jobs one call at a time (as an app calling frappe.enqueue in a loop),
    /// labelled <c>tag</c>, optionally <c>gap_ms</c> apart; returns the enqueue rate.
    /// </summary>
    [FrappeMethod("jobs_example.enqueue_many")]
    public static async Task<object?> EnqueueMany(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var n = kwargs["n"]?.GetValue<int>() ?? 1000;
        var gap = kwargs["gap_ms"]?.GetValue<int>() ?? 0;
        var queue = (string?)kwargs["queue"] ?? "default";
        var tag = (string?)kwargs["tag"] ?? "noop";
        var options = new EnqueueOptions { Queue = queue, JobName = tag };
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            await BackgroundJobs.EnqueueAsync(context, "jobs_example.noop", new JsonObject { ["i"] = i }, options, ct);
            if (gap > 0)
                await Task.Delay(gap, ct);
        }
        // Enqueues are confirmed by Redis at the latest when the context commits: count that too.
        await context.CommitAsync(ct);
        var seconds = sw.Elapsed.TotalSeconds;
        return new JsonObject { ["enqueued"] = n, ["seconds"] = Math.Round(seconds, 3), ["per_second"] = Math.Round(n / seconds) };
    }

    /// <summary>Counts the site's jobs labelled <c>tag</c> by status, with enqueue-to-start latency percentiles (ms).</summary>
    [FrappeMethod("jobs_example.job_stats")]
    public static async Task<object?> JobStats(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var tag = (string?)kwargs["tag"] ?? "noop";
        var jobs = (await JobBackends.Of(context).For(QueueSettings.For(context.Site)).ListAsync(context.Site.Name, ct)).Where(j => j.JobName == tag).ToList();
        var latencies = jobs.Where(j => j.StartedAt is not null).Select(j => (j.StartedAt!.Value - j.CreatedAt).TotalMilliseconds).Order().ToList();
        var result = new JsonObject { ["total"] = jobs.Count };
        foreach (var status in JobStatus.All)
            result[status] = jobs.Count(j => j.Status == status);
        result["latency_p50_ms"] = Percentile(latencies, 0.50);
        result["latency_p99_ms"] = Percentile(latencies, 0.99);
        return result;
    }

    private static double? Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)], 3);
}
