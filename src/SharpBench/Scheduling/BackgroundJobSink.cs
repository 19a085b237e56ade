using System.Text.Json.Nodes;
using SharpBench.Jobs;
using SharpBench.Sites;

namespace SharpBench.Scheduling;

/// <summary>Due jobs go through <c>frappe.enqueue</c> with a job id and deduplicate, as Administrator.</summary>
public sealed class BackgroundJobSink : IScheduledJobSink
{
    public static readonly BackgroundJobSink Instance = new();

    public async Task<bool> EnqueueAsync(Site site, string queue, string jobId, string method, JsonObject kwargs, CancellationToken ct = default)
    {
        await using var context = new FrappeContext(site, "Administrator");
        var result = await BackgroundJobs.EnqueueAsync(context, method, kwargs, new EnqueueOptions
        {
            Queue = queue,
            JobId = jobId,
            Deduplicate = true,
            JobName = (string?)kwargs["job_type"] ?? method,
        }, ct);
        return result.Outcome == EnqueueOutcome.Queued;
    }
}
