using System.Text.Json.Nodes;
using SharpBench;
using SharpBench.Apps;
using SharpBench.Jobs;
using SharpBench.Model;
using SharpBench.Scheduling;

namespace LibraryManagement;

/// <summary>
/// The app and its hooks (Frappe's hooks.py). Every role finds it in
/// apps/library_management/bin/library_management.dll once the bench lists it in sites/apps.txt.
/// </summary>
public sealed class LibraryManagementApp : App
{
    public override string Name => "library_management";

    public override string Title => "Library Management";

    /// <summary>doc_events: a new loan marks its articles as issued, in a background job.</summary>
    public override IReadOnlyList<DocEventHook> DocEvents =>
    [
        new DocEventHook("Library Loan", SharpBench.Model.DocEvents.AfterInsert, OnLoanInsertedAsync),
    ];

    /// <summary>scheduler_events: a daily overdue report and a count of open loans every quarter hour.</summary>
    public override SchedulerEvents SchedulerEvents { get; } = new()
    {
        ["daily"] = [Tasks.OverdueReport],
        Cron = { ["*/15 * * * *"] = [Tasks.CountLoans] },
    };

    /// <summary>after_install: a first article, so the catalogue is never empty.</summary>
    public override async Task AfterInstallAsync(FrappeContext context, CancellationToken ct)
    {
        var article = await Documents.NewAsync(context, "Article", new JsonObject
        {
            ["article_name"] = "Welcome to the library",
            ["author"] = "Library Management",
            ["status"] = "Available",
        }, ct);
        await Documents.InsertAsync(context, article, ct);
    }

    private static Task OnLoanInsertedAsync(FrappeContext context, Document loan, string eventName, CancellationToken ct) =>
        BackgroundJobs.EnqueueAsync(context, Jobs.IssueArticles, new JsonObject { ["loan"] = loan.Name },
            new EnqueueOptions { Queue = "short", EnqueueAfterCommit = true }, ct);
}
