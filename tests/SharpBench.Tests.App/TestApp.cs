using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Jobs;
using SharpBench.Model;

namespace SharpBench.Tests.App;

/// <summary>
/// The test app: the job methods in <see cref="JobMethods"/>, a ToDo <c>after_insert</c> hook that
/// enqueues work on the long queue, and a ToDo controller with a document method for enqueue_doc.
/// </summary>
public sealed class TestApp : SharpBench.Apps.App
{
    public const string AppName = "sb_test_app";

    public override string Name => AppName;

    public override IReadOnlyList<DocEventHook> DocEvents =>
    [
        new DocEventHook("ToDo", SharpBench.Model.DocEvents.AfterInsert, OnToDoInsertedAsync),
    ];

    public override IReadOnlyDictionary<string, DocumentController> Controllers { get; } =
        new Dictionary<string, DocumentController> { ["ToDo"] = new ToDoController() };

    /// <summary>Only ToDos whose description starts "enqueue:" ask for the follow-up job.</summary>
    private static async Task OnToDoInsertedAsync(FrappeContext ctx, Document doc, string eventName, CancellationToken ct)
    {
        if (doc.GetString("description") is { } d && d.StartsWith("enqueue:", StringComparison.Ordinal))
        {
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.record", new JsonObject { ["key"] = doc.Name },
                new EnqueueOptions { Queue = "long", EnqueueAfterCommit = true, JobId = "todo-" + doc.Name }, ct);
        }
    }

    /// <summary>
    /// One patch before the model sync, which drops a table while <see cref="Patches.TableToDrop"/>
    /// names one, and one after it, which throws while <see cref="Patches.Fail"/> is set.
    /// </summary>
    public override string? PatchesText => "[pre_model_sync]\n" + Patches.DropTable + "\n[post_model_sync]\n" + Patches.Flaky + "\n";

    public override SharpBench.Apps.SchedulerEvents SchedulerEvents { get; } = new()
    {
        ["hourly"] = [ScheduledMethods.Hourly],
        Cron = { ["* * * * *"] = [ScheduledMethods.CronTick] },
    };
}

/// <summary>A ToDo controller with one document method.</summary>
public sealed class ToDoController : DocumentController
{
    /// <summary>Closes the ToDo and notes who did it; returns that user.</summary>
    [FrappeMethod("close_from_job")]
    public async Task<object?> CloseFromJob(FrappeContext ctx, Document doc, JsonObject kwargs, CancellationToken ct)
    {
        doc.Set("status", "Closed");
        doc.Set("description", doc.GetString("description") + " / closed by " + ctx.User + (kwargs["note"] is { } n ? " " + n : ""));
        await Documents.SaveAsync(ctx, doc, ct);
        return ctx.User;
    }
}

/// <summary>The test app's patches: the flaky one counts its runs and throws while <see cref="Fail"/> is set.</summary>
public static class Patches
{
    public const string Flaky = "sb_test_app.patches.flaky";
    public const string DropTable = "sb_test_app.patches.drop_table";

    private static volatile string? _tableToDrop;

    /// <summary>The table the pre-model-sync patch drops when it runs; none while null.</summary>
    public static string? TableToDrop
    {
        get => _tableToDrop;
        set => _tableToDrop = value;
    }

    [FrappeMethod(DropTable)]
    public static async Task<object?> OnDropTable(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        if (_tableToDrop is { } table)
        {
            var db = await context.DbAsync(ct);
            await db.ExecuteAsync($"DROP TABLE {db.Dialect.Quote(table)}", [], ct);
        }
        return null;
    }

    private static volatile bool _fail;

    public static bool Fail
    {
        get => _fail;
        set => _fail = value;
    }

    private static int _runs;

    public static int Runs => Volatile.Read(ref _runs);

    [FrappeMethod(Flaky)]
    public static Task<object?> OnFlaky(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        if (_fail)
            throw new InvalidOperationException("the flaky patch was told to fail");
        Interlocked.Increment(ref _runs);
        return Task.FromResult<object?>(null);
    }
}
