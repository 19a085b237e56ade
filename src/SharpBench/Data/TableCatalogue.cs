namespace SharpBench.Data;

/// <summary>The tables a site's database holds, read from the server's catalogue in one query.</summary>
internal static class TableCatalogue
{
    /// <summary>The names of the database's base tables (views left out), in name order.</summary>
    public static async Task<List<string>> TablesAsync(Database db, CancellationToken ct = default)
    {
        var sql = db.Dialect.Kind switch
        {
            DbKind.MariaDb => "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name",
            DbKind.Postgres => "SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
            _ => "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        };
        return (await db.QueryAsync(sql, [], ct)).Select(r => (string)r["t"]!).ToList();
    }
}
