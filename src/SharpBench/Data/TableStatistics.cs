namespace SharpBench.Data;

/// <summary>
/// The optimizer's statistics for a site's tables, gathered at the end of migrate. Without
/// them MariaDB cannot tell how many rows a filter on an unindexed column keeps, so a list's
/// <c>WHERE status = … ORDER BY creation DESC LIMIT 20</c> scans and sorts the whole table
/// instead of walking the <c>creation</c> index (docs/benchmarks.md, "Database path").
/// </summary>
internal static class TableStatistics
{
    internal const int MinRows = 100;

    /// <summary>
    /// MariaDB: column histograms (<c>PERSISTENT FOR COLUMNS</c>) of every table of at least
    /// <see cref="MinRows"/> rows, read from a sample on large tables so a migrate does not scan
    /// them whole. Smaller tables are skipped (new-site gathers nothing for that reason):
    /// persistent statistics do not follow later inserts, and a stored cardinality of 0 or 2 would
    /// make the optimizer treat a table that has since filled as nearly empty, while a scan of a
    /// table that small costs nothing.
    /// Only the columns a histogram helps get one (<see cref="HistogramColumnsAsync"/>), and no
    /// index statistics are gathered: InnoDB keeps its own, persistent and refreshed as rows
    /// change, which the optimizer uses where no others are stored. Every column and index
    /// (<c>FOR ALL</c>) took 0.66 s at 100,000 ToDo rows, most of restore-then-migrate's time over
    /// the raw load (docs/benchmarks.md, "Backup and restore").
    /// PostgreSQL: <c>ANALYZE</c> of each table (autovacuum keeps them current afterwards).
    /// SQLite: nothing.
    /// </summary>
    public static async Task GatherAsync(Database db, Action<string> progress, CancellationToken ct = default)
    {
        var d = db.Dialect;
        if (d.Kind == DbKind.Sqlite)
            return;
        progress("Gathering table statistics");
        if (d.Kind == DbKind.Postgres)
        {
            foreach (var table in await TableCatalogue.TablesAsync(db, ct))
                await db.ExecuteAsync($"ANALYZE {d.Quote(table)}", [], ct);
            return;
        }
        foreach (var (table, columns) in await HistogramColumnsAsync(db, ct))
        {
            var rows = await db.ScalarAsync($"SELECT COUNT(*) FROM (SELECT 1 FROM {d.Quote(table)} LIMIT {MinRows}) AS sample", [], ct);
            if (Convert.ToInt64(rows, System.Globalization.CultureInfo.InvariantCulture) < MinRows)
                continue;
            // analyze_sample_percentage = 0: the server picks the sample's size from the table's.
            await db.ExecuteAsync(
                $"SET STATEMENT analyze_sample_percentage = 0 FOR ANALYZE TABLE {d.Quote(table)} PERSISTENT FOR COLUMNS ({string.Join(", ", columns.Select(d.Quote))}) INDEXES ()",
                [], ct);
        }
    }

    /// <summary>
    /// Per table, the columns whose histogram the optimizer can use: those that lead no index
    /// (where one does, the optimizer counts rows in the index itself, which is exact) and are not
    /// text, blob or JSON (long values nobody filters on with <c>=</c>, and the costliest to
    /// sample). A filter on <c>status</c> is the case that matters: without its histogram the
    /// optimizer cannot tell how many rows it keeps, and sorts the whole table instead of walking
    /// the <c>creation</c> index. Tables left with no such column are left out.
    /// </summary>
    private static async Task<List<(string Table, List<string> Columns)>> HistogramColumnsAsync(Database db, CancellationToken ct)
    {
        const string sql = """
            SELECT c.table_name AS t, c.column_name AS c
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema = DATABASE()
              AND c.data_type NOT IN ('tinytext', 'text', 'mediumtext', 'longtext', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'json')
              AND NOT EXISTS (SELECT 1 FROM information_schema.statistics s
                              WHERE s.table_schema = c.table_schema AND s.table_name = c.table_name
                                AND s.column_name = c.column_name AND s.seq_in_index = 1)
            ORDER BY c.table_name, c.ordinal_position
            """;
        return (await db.QueryAsync(sql, [], ct))
            .GroupBy(r => (string)r["t"]!, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Select(r => (string)r["c"]!).ToList()))
            .ToList();
    }
}
