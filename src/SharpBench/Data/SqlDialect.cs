using System.Data.Common;

namespace SharpBench.Data;

/// <summary>
/// What differs between MariaDB, PostgreSQL and SQLite: identifier quoting, column types, DDL
/// and catalogue queries. Everything else (parameters as <c>@p0</c>, plain DML) is shared.
/// </summary>
public abstract class SqlDialect
{
    public abstract DbKind Kind { get; }

    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>Quotes an identifier that was already checked against DocType meta.</summary>
    public abstract string Quote(string identifier);

    public abstract string ColumnType(ColumnSpec column);

    /// <summary>The column names of a table, lower-cased; empty when the table does not exist.</summary>
    public abstract Task<HashSet<string>> ColumnsAsync(Database db, string table, CancellationToken ct = default);

    public abstract Task<HashSet<string>> IndexesAsync(Database db, string table, CancellationToken ct = default);

    public virtual string TableOptions => "";

    public string ColumnDefinition(ColumnSpec c)
    {
        var sql = $"{Quote(c.Name)} {ColumnType(c)}";
        if (c.NotNull)
            sql += " NOT NULL";
        if (c.Default is not null)
            sql += " DEFAULT " + c.Default;
        return sql;
    }

    public string CreateTable(string table, IEnumerable<ColumnSpec> columns, params string[] primaryKey)
    {
        var defs = columns.Select(ColumnDefinition).Append($"PRIMARY KEY ({string.Join(", ", primaryKey.Select(Quote))})");
        return $"CREATE TABLE IF NOT EXISTS {Quote(table)} (\n  {string.Join(",\n  ", defs)}\n){TableOptions}";
    }

    public virtual string AddColumn(string table, ColumnSpec column) =>
        $"ALTER TABLE {Quote(table)} ADD COLUMN {ColumnDefinition(column)}";

    public virtual string CreateIndex(string table, string index, IReadOnlyList<string> columns, bool unique) =>
        $"CREATE {(unique ? "UNIQUE " : "")}INDEX IF NOT EXISTS {Quote(index)} ON {Quote(table)} ({string.Join(", ", columns.Select(Quote))})";

    /// <summary>Index names are per schema in PostgreSQL and SQLite, so they carry the table.</summary>
    public virtual string IndexName(string table, string column, bool unique) =>
        (unique ? "unique_" : "idx_") + Shorten(table.Replace(' ', '_') + "_" + column);

#pragma warning disable CA5350 // a name digest, not security: SHA-1 is what Frappe uses here
    protected static string Shorten(string name) =>
        name.Length <= 60 ? name : name[..50] + "_" + Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..8].ToLowerInvariant();

    public static SqlDialect For(DbKind kind) => kind switch
    {
        DbKind.MariaDb => MariaDbDialect.Instance,
        DbKind.Postgres => PostgresDialect.Instance,
        _ => SqliteDialect.Instance,
    };
}
