using System.Data.Common;
using Npgsql;

namespace SharpBench.Data;

public sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    public override DbKind Kind => DbKind.Postgres;

    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string ColumnType(ColumnSpec column) => column.Kind switch
    {
        ColumnKind.Varchar => $"varchar({column.Length})",
        ColumnKind.Text or ColumnKind.LongText => "text",
        ColumnKind.Int => "bigint",
        ColumnKind.BigInt => "bigint",
        ColumnKind.Check => "smallint",
        ColumnKind.Decimal => "decimal(21,9)",
        ColumnKind.Rating => "decimal(3,2)",
        ColumnKind.Date => "date",
        ColumnKind.Datetime => "timestamp(6)",
        ColumnKind.Time => "time(6)",
        ColumnKind.Json => "json",
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    public override async Task<HashSet<string>> ColumnsAsync(Database db, string table, CancellationToken ct = default)
    {
        var rows = await db.QueryAsync(
            "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @p0",
            [table], ct);
        return rows.Select(r => ((string)r["c"]!).ToLowerInvariant()).ToHashSet();
    }

    public override async Task<HashSet<string>> IndexesAsync(Database db, string table, CancellationToken ct = default)
    {
        var rows = await db.QueryAsync(
            "SELECT indexname AS i FROM pg_indexes WHERE schemaname = current_schema() AND tablename = @p0", [table], ct);
        return rows.Select(r => (string)r["i"]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
