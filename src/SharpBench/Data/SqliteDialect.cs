using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SharpBench.Data;

/// <summary>
/// SQLite for the embedded default. Dates are stored as ISO text (which sorts correctly) and
/// names compare case-insensitively (NOCASE), as they do under MariaDB's collation.
/// </summary>
public sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override DbKind Kind => DbKind.Sqlite;

    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string ColumnType(ColumnSpec column) => column.Kind switch
    {
        ColumnKind.Varchar => "TEXT COLLATE NOCASE",
        ColumnKind.Text or ColumnKind.LongText or ColumnKind.Json => "TEXT",
        ColumnKind.Int or ColumnKind.BigInt or ColumnKind.Check => "INTEGER",
        ColumnKind.Decimal or ColumnKind.Rating => "REAL",
        ColumnKind.Date or ColumnKind.Datetime or ColumnKind.Time => "TEXT",
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    public override async Task<HashSet<string>> ColumnsAsync(Database db, string table, CancellationToken ct = default)
    {
        var rows = await db.QueryAsync("SELECT name AS c FROM pragma_table_info(@p0)", [table], ct);
        return rows.Select(r => ((string)r["c"]!).ToLowerInvariant()).ToHashSet();
    }

    public override async Task<HashSet<string>> IndexesAsync(Database db, string table, CancellationToken ct = default)
    {
        var rows = await db.QueryAsync("SELECT name AS i FROM pragma_index_list(@p0)", [table], ct);
        return rows.Select(r => (string)r["i"]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
