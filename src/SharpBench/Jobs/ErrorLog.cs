using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench.Jobs;

/// <summary>
/// Writes an Error Log row in the site for a failed job, on its own connection and transaction
/// (the job's own transaction was rolled back). A site without the Error Log table gets none.
/// </summary>
public static class ErrorLog
{
    public static async Task<string?> WriteAsync(Site site, string method, string error, string? traceId = null, CancellationToken ct = default)
    {
        await using var db = await site.OpenDatabaseAsync(ct);
        var table = db.Dialect.Quote("tabError Log");
        var columns = await db.Dialect.ColumnsAsync(db, "tabError Log", ct);
        if (columns.Count == 0)
            return null;
        var now = DbTime.Now();
        var name = Guid.NewGuid().ToString("N")[..10];
        var values = new List<(string Column, object? Value)>
        {
            ("name", name), ("owner", "Administrator"), ("modified_by", "Administrator"), ("creation", now), ("modified", now),
            ("docstatus", 0), ("idx", 0), ("method", Truncate(method, 140)), ("error", error), ("seen", 0), ("trace_id", traceId),
        };
        values = values.Where(v => columns.Contains(v.Column)).ToList();
        var sql = $"INSERT INTO {table} ({string.Join(", ", values.Select(v => db.Dialect.Quote(v.Column)))}) VALUES ({string.Join(", ", values.Select((_, i) => "@p" + i))})";
        await db.BeginAsync(ct);
        await db.ExecuteAsync(sql, values.Select(v => v.Value).ToList(), ct);
        await db.CommitAsync(ct);
        return name;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
