using System.Diagnostics;
using StackExchange.Redis;

namespace SharpBench.Jobs;

/// <summary>
/// Runs one enqueue within <c>redis_queue_timeout</c>. While Redis refuses to take the command
/// without running it (no connection, so the client fails it at once and never sends it later; or
/// <c>LOADING</c>, which Redis answers before running anything) it is tried again until the bound;
/// then, or when a sent command gets no answer in time, it fails with <see cref="QueueUnavailableError"/>.
/// A sent command that timed out may still have been stored: the message says so, and a caller
/// that retries should give a <c>job_id</c> with <c>deduplicate</c>.
/// </summary>
public static class BoundedEnqueue
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    public static async Task<bool> RunAsync(Func<Task<bool>> send, TimeSpan bound, string jobId)
    {
        var started = Stopwatch.GetTimestamp();
        string? lastRefusal = null;
        while (true)
        {
            var left = bound - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
                throw Unavailable(jobId, bound, lastRefusal ?? "it did not answer", sent: false);
            try
            {
                return await send().WaitAsync(left);
            }
            catch (TimeoutException)
            {
                throw Unavailable(jobId, bound, "it did not answer", sent: true);
            }
            catch (RedisServerException e) when (e.Message.StartsWith("LOADING", StringComparison.Ordinal))
            {
                lastRefusal = "it is loading its data (LOADING)";
            }
            catch (RedisConnectionException e) when (NotSent(e))
            {
                lastRefusal = "it is unreachable (" + e.FailureType + ")";
            }
            var wait = bound - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait < Pause ? wait : Pause);
        }
    }

    /// <summary>
    /// The client refused the command because no connection was up, so Redis never saw it. A
    /// connection that broke while a loading Redis turned it away fails the command "before write"
    /// (seen as ProtocolFailure/WriteFailure): never written, so it is safe to try again too.
    /// </summary>
    private static bool NotSent(RedisConnectionException e) =>
        e.FailureType is ConnectionFailureType.UnableToConnect or ConnectionFailureType.UnableToResolvePhysicalConnection or ConnectionFailureType.Loading
        || e.CommandStatus is CommandStatus.WaitingToBeSent or CommandStatus.WaitingInBacklog;

    private static QueueUnavailableError Unavailable(string jobId, TimeSpan bound, string why, bool sent) =>
        new($"The job queue (redis_queue) did not take job {jobId} within {bound.TotalSeconds:0.###} s: {why}. "
            + (sent
                ? "The job may still have been queued: retry with the same job_id and deduplicate to be sure it is queued once."
                : "Nothing was queued; try again."));
}
