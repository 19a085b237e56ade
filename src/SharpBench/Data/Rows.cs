namespace SharpBench.Data;

/// <summary>Plain row writes for framework code whose table and column names are constants or checked meta.</summary>
public static class Rows
{
    public static Task<int> InsertAsync(Database db, string table, IReadOnlyDictionary<string, object?> values, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var columns = values.Keys.ToList();
        var sql = $"INSERT INTO {d.Quote(table)} ({string.Join(", ", columns.Select(d.Quote))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        return db.ExecuteAsync(sql, columns.Select(c => values[c]).ToList(), ct);
    }

    /// <summary>
    /// <paramref name="fields"/> with the standard columns of a row the system writes for itself
    /// (a log, a patch record, an install default): named <paramref name="name"/>, owned and last
    /// modified by Administrator at <paramref name="now"/>, docstatus 0, at <paramref name="idx"/>.
    /// </summary>
    public static Dictionary<string, object?> BySystem(string name, DateTime now, Dictionary<string, object?> fields, long idx = 0)
    {
        fields["name"] = name;
        fields["owner"] = "Administrator";
        fields["modified_by"] = "Administrator";
        fields["creation"] = now;
        fields["modified"] = now;
        fields["docstatus"] = 0;
        fields["idx"] = idx;
        return fields;
    }

    public static async Task<bool> ExistsAsync(Database db, string table, string name, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var found = await db.ScalarAsync($"SELECT 1 FROM {d.Quote(table)} WHERE {d.Quote("name")} = @p0", [name], ct);
        return found is not null;
    }
}
