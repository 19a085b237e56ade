using System.Text.Json.Nodes;
using SharpBench;
using SharpBench.Apps;
using SharpBench.Jobs;
using SharpBench.Realtime;

namespace JobsExample;

/// <summary>
/// A job that reports progress to a realtime task, the way a Frappe app drives a progress bar:
/// the caller enqueues it with a task id and hands that id to the browser, which sends
/// <c>task_subscribe</c>; the job's <c>progress</c> events then reach <c>task_progress:{id}</c>.
/// </summary>
public static class ProgressJobs
{
    /// <summary>Publishes <c>steps</c> progress events (optionally <c>delay_ms</c> apart), then <c>task_done</c> with no room.</summary>
    [FrappeMethod("jobs_example.progress_task")]
    public static async Task<object?> ProgressTask(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var steps = kwargs["steps"]?.GetValue<int>() ?? 3;
        var delay = kwargs["delay_ms"]?.GetValue<int>() ?? 0;
        for (var i = 1; i <= steps; i++)
        {
            if (delay > 0)
                await Task.Delay(delay, ct);
            await RealtimePublisher.PublishProgressAsync(context, Math.Round(100.0 * i / steps, 2), "Example task", description: $"step {i} of {steps}");
        }
        // No room given: the job's task id picks task_progress:{id}, as frappe.local.task_id does.
        await RealtimePublisher.PublishAsync(context, "task_done", new JsonObject { ["steps"] = steps, ["user"] = context.User });
        return steps;
    }

    /// <summary>Enqueues <see cref="ProgressTask"/> with a new (or the given) task id; returns the task id and job id.</summary>
    [FrappeMethod("jobs_example.enqueue_progress_task")]
    public static async Task<object?> EnqueueProgressTask(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var taskId = (string?)kwargs["task_id"] ?? Guid.NewGuid().ToString("N");
        var arguments = new JsonObject { ["steps"] = kwargs["steps"]?.DeepClone() ?? 3, ["delay_ms"] = kwargs["delay_ms"]?.DeepClone() ?? 0 };
        var queued = await BackgroundJobs.EnqueueAsync(context, "jobs_example.progress_task", arguments, new EnqueueOptions { TaskId = taskId }, ct);
        return new JsonObject { ["task_id"] = taskId, ["job_id"] = queued.JobId };
    }
}
