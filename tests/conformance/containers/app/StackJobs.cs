using System.Text.Json.Nodes;
using SharpBench;
using SharpBench.Apps;
using SharpBench.Jobs;
using SharpBench.Model;

namespace SbStackCheck;

/// <summary>
/// Each job leaves ToDos whose description names the job and the container (its host name) that
/// ran it, so the suite sees over the API which worker ran what, and that nothing was lost.
/// </summary>
public static class StackJobs
{
    public const string Tick = "sb_stack_check.tick";

    /// <summary>Enqueues <c>sb_stack_check.note</c> on kwargs.queue (default short); returns the job id.</summary>
    [Whitelist("sb_stack_check.enqueue", Methods = ["POST"])]
    public static async Task<object?> Enqueue(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var key = (string?)kwargs["key"] ?? throw new ValidationError("key is required");
        var queue = (string?)kwargs["queue"] ?? "short";
        var args = new JsonObject { ["key"] = key, ["sleep_ms"] = kwargs["sleep_ms"]?.DeepClone() };
        var result = await BackgroundJobs.EnqueueAsync(context, "sb_stack_check.note", args, new EnqueueOptions { Queue = queue }, ct);
        return result.JobId;
    }

    /// <summary>
    /// Notes "start KEY HOST" (committed at once), waits kwargs.sleep_ms, then notes "done KEY HOST"
    /// unless a run before it already did: run again after its worker was killed, it adds no second "done".
    /// </summary>
    [FrappeMethod("sb_stack_check.note")]
    public static async Task<object?> Note(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var key = (string)kwargs["key"]!;
        await AddToDoAsync(context, $"start {key} {Environment.MachineName}", ct);
        await context.CommitAsync(ct);
        if (kwargs["sleep_ms"] is JsonValue sleep)
            await Task.Delay(sleep.GetValue<int>(), ct);
        var db = await context.DbAsync(ct);
        var existing = await db.ScalarAsync(
            $"SELECT {db.Dialect.Quote("name")} FROM {db.Dialect.Quote("tabToDo")} WHERE {db.Dialect.Quote("description")} LIKE @p0",
            [$"done {key} %"], ct);
        if (existing is null)
            await AddToDoAsync(context, $"done {key} {Environment.MachineName}", ct);
        return Environment.MachineName;
    }

    /// <summary>
    /// Enqueues kwargs.count jobs of <c>sb_stack_check.count</c> (one ToDo "count PREFIX-i" each) or
    /// <c>sb_stack_check.noop</c> on kwargs.queue, for the swarm suite's drain and kill checks.
    /// </summary>
    [Whitelist("sb_stack_check.enqueue_many", Methods = ["POST"])]
    public static async Task<object?> EnqueueMany(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var prefix = (string?)kwargs["prefix"] ?? throw new ValidationError("prefix is required");
        var count = (int?)kwargs["count"] ?? throw new ValidationError("count is required");
        var method = (string?)kwargs["method"] == "noop" ? "sb_stack_check.noop" : "sb_stack_check.count";
        var options = new EnqueueOptions { Queue = (string?)kwargs["queue"] ?? "short" };
        for (var i = 0; i < count; i++)
            await BackgroundJobs.EnqueueAsync(context, method, new JsonObject { ["key"] = $"{prefix}-{i}", ["sleep_ms"] = kwargs["sleep_ms"]?.DeepClone() }, options, ct);
        return count;
    }

    /// <summary>One ToDo per job and nothing else, so rows minus distinct keys counts double runs.</summary>
    [FrappeMethod("sb_stack_check.count")]
    public static async Task<object?> Count(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        await AddToDoAsync(context, $"count {(string)kwargs["key"]!}", ct);
        return null;
    }

    /// <summary>Does nothing (after kwargs.sleep_ms, when given): the drain rate measures the queue itself.</summary>
    [FrappeMethod("sb_stack_check.noop")]
    public static async Task<object?> Noop(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        if (kwargs["sleep_ms"] is JsonValue sleep)
            await Task.Delay(sleep.GetValue<int>(), ct);
        return null;
    }

    [FrappeMethod(Tick)]
    public static async Task<object?> OnTick(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        await AddToDoAsync(context, $"tick {Environment.MachineName}", ct);
        return null;
    }

    private static async Task AddToDoAsync(FrappeContext context, string description, CancellationToken ct)
    {
        var doc = await Documents.NewAsync(context, "ToDo", new JsonObject { ["description"] = description }, ct);
        await Documents.InsertAsync(context, doc, ct);
    }
}
