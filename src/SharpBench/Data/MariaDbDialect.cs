using System.Data.Common;
using MySqlConnector;

namespace SharpBench.Data;

public sealed class MariaDbDialect : SqlDialect
{
    public static readonly MariaDbDialect Instance = new();

    public override DbKind Kind => DbKind.MariaDb;

    public override DbConnection CreateConnection(string connectionString) => new MySqlConnection(connectionString);

    public override string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";

    public override string TableOptions => " ENGINE=InnoDB ROW_FORMAT=DYNAMIC CHARACTER SET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

    public override string ColumnType(ColumnSpec column) => column.Kind switch
    {
        ColumnKind.Varchar => $"varchar({column.Length})",
        ColumnKind.Text => "text",
        ColumnKind.LongText => "longtext",
        ColumnKind.Int => "int(11)",
        ColumnKind.BigInt => "bigint(20)",
        ColumnKind.Check => "int(1)",
        ColumnKind.Decimal => "decimal(21,9)",
        ColumnKind.Rating => "decimal(3,2)",
        ColumnKind.Date => "date",
        ColumnKind.Datetime => "datetime(6)",
        ColumnKind.Time => "time(6)",
        ColumnKind.Json => "json",
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    public override string IndexName(string table, string column, bool unique) => Shorten(column);

    public override async Task<HashSet<string>> ColumnsAsync(Database db, string table, CancellationToken ct = default)
    {
        var rows = await db.QueryAsync(
            "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = @p0",
            [table], ct);
        return rows.Select(r => ((string)r["c"]!).ToLowerInvariant()).ToHashSet();
    }

    public override async Task<HashSet<string>> IndexesAsync(Database db, string table, CancellationToken ct = default)
    {
        var rows = await db.QueryAsync(
            "SELECT DISTINCT index_name AS i FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = @p0",
            [table], ct);
        return rows.Select(r => (string)r["i"]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
