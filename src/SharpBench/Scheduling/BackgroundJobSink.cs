using System.Text.Json.Nodes;
using SharpBench.Jobs;
using SharpBench.Sites;

namespace SharpBench.Scheduling;

/// <summary>Due jobs go through <c>frappe.enqueue</c> with a job id and deduplicate, as Administrator.</summary>
/// <param name="services">The host's services (its queue); null outside a host.</param>
public sealed class BackgroundJobSink(IServiceProvider? services = null) : IScheduledJobSink
{
    public async Task<bool> EnqueueAsync(Site site, string queue, string jobId, string method, JsonObject kwargs, CancellationToken ct = default)
    {
        await using var context = new FrappeContext(site, "Administrator", services);
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
