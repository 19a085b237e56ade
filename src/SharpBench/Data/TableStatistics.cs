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
    /// MariaDB: column histograms and index statistics (<c>PERSISTENT FOR ALL</c>) of every table
    /// of at least <see cref="MinRows"/> rows, read from a sample on large tables so a migrate does
    /// not scan them whole. Smaller tables are skipped (new-site gathers nothing for that reason):
    /// persistent statistics do not follow later inserts, and a stored cardinality of 0 or 2 would
    /// make the optimizer treat a table that has since filled as nearly empty, while a scan of a
    /// table that small costs nothing.
    /// PostgreSQL: <c>ANALYZE</c> of each table (autovacuum keeps them current afterwards).
    /// SQLite: nothing.
    /// </summary>
    public static async Task GatherAsync(Database db, Action<string> progress, CancellationToken ct = default)
    {
        var d = db.Dialect;
        if (d.Kind == DbKind.Sqlite)
            return;
        progress("Gathering table statistics");
        foreach (var table in await TableCatalogue.TablesAsync(db, ct))
        {
            if (d.Kind == DbKind.Postgres)
            {
                await db.ExecuteAsync($"ANALYZE {d.Quote(table)}", [], ct);
                continue;
            }
            var rows = await db.ScalarAsync($"SELECT COUNT(*) FROM (SELECT 1 FROM {d.Quote(table)} LIMIT {MinRows}) AS sample", [], ct);
            if (Convert.ToInt64(rows, System.Globalization.CultureInfo.InvariantCulture) < MinRows)
                continue;
            // analyze_sample_percentage = 0: the server picks the sample's size from the table's.
            await db.ExecuteAsync($"SET STATEMENT analyze_sample_percentage = 0 FOR ANALYZE TABLE {d.Quote(table)} PERSISTENT FOR ALL", [], ct);
        }
    }
}
