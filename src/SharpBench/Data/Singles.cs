using System.Globalization;

namespace SharpBench.Data;

/// <summary>
/// <c>tabSingles</c>, where Frappe keeps the values of Single DocTypes (System Settings, …): one
/// row per (doctype, field), the value as text. Every read and write of that table goes through here.
/// </summary>
public static class Singles
{
    private const string Table = "tabSingles";

    /// <summary>One value as stored (text), or null when the field was never saved.</summary>
    public static async Task<string?> GetAsync(Database db, string doctype, string field, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var value = await db.ScalarAsync(
            $"SELECT {d.Quote("value")} FROM {d.Quote(Table)} WHERE {d.Quote("doctype")} = @p0 AND {d.Quote("field")} = @p1",
            [doctype, field], ct);
        return value is null or DBNull ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Every stored (field, value) of a Single.</summary>
    public static async Task<IReadOnlyList<(string Field, object? Value)>> GetAllAsync(Database db, string doctype, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var rows = await db.QueryAsync(
            $"SELECT {d.Quote("field")} AS f, {d.Quote("value")} AS v FROM {d.Quote(Table)} WHERE {d.Quote("doctype")} = @p0", [doctype], ct);
        return rows.Where(r => r["f"] is string).Select(r => ((string)r["f"]!, r["v"])).ToList();
    }

    /// <summary>Sets one value, replacing what was stored.</summary>
    public static async Task SetAsync(Database db, string doctype, string field, string? value, CancellationToken ct = default)
    {
        var d = db.Dialect;
        await db.ExecuteAsync($"DELETE FROM {d.Quote(Table)} WHERE {d.Quote("doctype")} = @p0 AND {d.Quote("field")} = @p1", [doctype, field], ct);
        await Rows.InsertAsync(db, Table, new Dictionary<string, object?> { ["doctype"] = doctype, ["field"] = field, ["value"] = value }, ct);
    }

    /// <summary>Replaces every stored value of a Single with <paramref name="values"/> (a save).</summary>
    public static async Task ReplaceAsync(Database db, string doctype, IEnumerable<(string Field, string? Value)> values, CancellationToken ct = default)
    {
        await DeleteAsync(db, doctype, ct);
        foreach (var (field, value) in values)
            await Rows.InsertAsync(db, Table, new Dictionary<string, object?> { ["doctype"] = doctype, ["field"] = field, ["value"] = value }, ct);
    }

    /// <summary>Forgets every value of a Single (the DocType was deleted or saved anew).</summary>
    public static async Task DeleteAsync(Database db, string doctype, CancellationToken ct = default)
    {
        var d = db.Dialect;
        await db.ExecuteAsync($"DELETE FROM {d.Quote(Table)} WHERE {d.Quote("doctype")} = @p0", [doctype], ct);
    }

    /// <summary>Whether a field of a Single holds exactly <paramref name="value"/> (a link to a document).</summary>
    public static async Task<bool> HoldsAsync(Database db, string doctype, string field, string value, CancellationToken ct = default)
    {
        var d = db.Dialect;
        return await db.ScalarAsync(
            $"SELECT 1 FROM {d.Quote(Table)} WHERE {d.Quote("doctype")} = @p0 AND {d.Quote("field")} = @p1 AND {d.Quote("value")} = @p2",
            [doctype, field, value], ct) is not null;
    }

    /// <summary>Rewrites a field of a Single that holds <paramref name="from"/> to <paramref name="to"/> (a rename).</summary>
    public static async Task RenameValueAsync(Database db, string doctype, string field, string from, string to, CancellationToken ct = default)
    {
        var d = db.Dialect;
        await db.ExecuteAsync(
            $"UPDATE {d.Quote(Table)} SET {d.Quote("value")} = @p0 WHERE {d.Quote("doctype")} = @p1 AND {d.Quote("field")} = @p2 AND {d.Quote("value")} = @p3",
            [to, doctype, field, from], ct);
    }
}
