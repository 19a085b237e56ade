using System.Text.Json.Nodes;
using SharpBench;
using SharpBench.Apps;

namespace LibraryManagement;

/// <summary>The one-time patches patches.txt lists.</summary>
public static class Patches
{
    /// <summary>Articles made before Status had a default get Available.</summary>
    [FrappeMethod("library_management.patches.v0_1.available_by_default")]
    public static async Task<object?> AvailableByDefault(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var db = await context.DbAsync(ct);
        var d = db.Dialect;
        return await db.ExecuteAsync(
            $"UPDATE {d.Quote("tabArticle")} SET {d.Quote("status")} = @p0 WHERE {d.Quote("status")} IS NULL OR {d.Quote("status")} = @p1", ["Available", ""], ct);
    }
}
