namespace SharpBench.Jobs;

/// <summary>The options of Frappe's <c>frappe.enqueue</c>, with its defaults.</summary>
public sealed record EnqueueOptions
{
    /// <summary>One of the bench's queues (short, default, long, or a key of <c>workers</c>).</summary>
    public string Queue { get; init; } = "default";

    /// <summary>Seconds; null or 0 means the queue's timeout.</summary>
    public int? Timeout { get; init; }

    /// <summary>The id the application knows the job by; stored as <c>{site}::{job_id}</c>. Default: a new uuid.</summary>
    public string? JobId { get; init; }

    /// <summary>With <see cref="JobId"/>: do nothing when that job is queued or running; replace it otherwise.</summary>
    public bool Deduplicate { get; init; }

    /// <summary>Run before the jobs already waiting in the queue.</summary>
    public bool AtFront { get; init; }

    /// <summary>Enqueue only when the context's transaction commits (dropped on rollback).</summary>
    public bool EnqueueAfterCommit { get; init; }

    /// <summary>Run the method right here, in the caller's context, and return its result.</summary>
    public bool Now { get; init; }

    /// <summary>A label shown in the RQ Job list; defaults to the method name.</summary>
    public string? JobName { get; init; }

    /// <summary>
    /// The realtime task the job reports to (<c>frappe.local.task_id</c> while it runs): its
    /// progress and room-less events go to <c>task_progress:{task_id}</c>, where a client that
    /// sent <c>task_subscribe</c> receives them.
    /// </summary>
    public string? TaskId { get; init; }

    /// <summary>
    /// A registered method (dotted name) run in the worker after the job finished, with kwargs
    /// <c>job</c> (the RQ Job document) and <c>result</c>. If it throws, the job is failed.
    /// </summary>
    public string? OnSuccess { get; init; }

    /// <summary>
    /// A registered method run in the worker after the job failed (or timed out), with kwargs
    /// <c>job</c> and <c>exc_info</c>. If it throws, the error is logged and the job stays failed.
    /// </summary>
    public string? OnFailure { get; init; }
}

public enum EnqueueOutcome
{
    /// <summary>The job was stored and queued.</summary>
    Queued,

    /// <summary><see cref="EnqueueOptions.Deduplicate"/> found the same job queued or running; nothing was queued.</summary>
    Deduplicated,

    /// <summary>The job will be queued when the transaction commits.</summary>
    AfterCommit,

    /// <summary><see cref="EnqueueOptions.Now"/>: the method ran inline; <see cref="EnqueueResult.Result"/> holds its value.</summary>
    RanNow,
}

/// <param name="JobId">The stored id (<c>{site}::{job_id}</c>); null when nothing was queued.</param>
public sealed record EnqueueResult(EnqueueOutcome Outcome, string? JobId, object? Result = null);
