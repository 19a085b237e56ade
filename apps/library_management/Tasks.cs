using System.Text.Json.Nodes;
using SharpBench;
using SharpBench.Apps;

namespace LibraryManagement;

/// <summary>The app's scheduler events.</summary>
public static class Tasks
{
    public const string OverdueReport = "library_management.tasks.overdue_report";
    public const string CountLoans = "library_management.tasks.count_loans";

    /// <summary>Daily: how many loans are past their due date.</summary>
    [FrappeMethod(OverdueReport)]
    public static async Task<object?> OnOverdueReport(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var db = await context.DbAsync(ct);
        var d = db.Dialect;
        return await db.ScalarAsync($"SELECT COUNT(*) FROM {d.Quote("tabLibrary Loan")} WHERE {d.Quote("due_date")} < @p0", [DateTime.Today], ct);
    }

    /// <summary>Every quarter hour: how many loans there are.</summary>
    [FrappeMethod(CountLoans)]
    public static async Task<object?> OnCountLoans(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var db = await context.DbAsync(ct);
        return await db.ScalarAsync($"SELECT COUNT(*) FROM {db.Dialect.Quote("tabLibrary Loan")}", [], ct);
    }
}
