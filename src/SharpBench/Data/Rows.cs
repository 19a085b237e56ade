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

    public static async Task<bool> ExistsAsync(Database db, string table, string name, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var found = await db.ScalarAsync($"SELECT 1 FROM {d.Quote(table)} WHERE {d.Quote("name")} = @p0", [name], ct);
        return found is not null;
    }
}
