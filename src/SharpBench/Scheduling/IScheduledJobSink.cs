using System.Text.Json.Nodes;
using SharpBench.Sites;

namespace SharpBench.Scheduling;

/// <summary>Where the scheduler puts due jobs: the bench's job queues (Redis or in-process).</summary>
public interface IScheduledJobSink
{
    /// <summary>
    /// Queues <paramref name="method"/> for <paramref name="site"/> under the per-site id
    /// <paramref name="jobId"/>, as Administrator. False when a job with that id is still queued or
    /// running; the check and the enqueue are one atomic step, so two schedulers cannot both queue it.
    /// </summary>
    Task<bool> EnqueueAsync(Site site, string queue, string jobId, string method, JsonObject kwargs, CancellationToken ct = default);
}
