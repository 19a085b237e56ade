using SharpBench.Data;

namespace SharpBench.Scheduling;

/// <summary>Writes an Error Log row (Frappe's <c>frappe.log_error</c>): a title in <c>method</c> and the stack in <c>error</c>.</summary>
internal static class ErrorLog
{
    public static async Task InsertAsync(Database db, string title, string error, DateTime now, CancellationToken ct = default)
    {
        // A site migrated before the Error Log DocType existed has no table; the Scheduled Job Log still holds the error.
        if ((await db.Dialect.ColumnsAsync(db, "tabError Log", ct)).Count == 0)
            return;
        await Rows.InsertAsync(db, "tabError Log", new Dictionary<string, object?>
        {
            ["name"] = ScheduledJobRunner.NewName(),
            ["owner"] = "Administrator",
            ["modified_by"] = "Administrator",
            ["creation"] = now,
            ["modified"] = now,
            ["docstatus"] = 0,
            ["idx"] = 0,
            ["seen"] = 0,
            ["method"] = title.Length > 140 ? title[..140] : title,
            ["error"] = error,
        }, ct);
    }
}
