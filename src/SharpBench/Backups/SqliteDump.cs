using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SharpBench.Data;

namespace SharpBench.Backups;

/// <summary>
/// SQLite's backup as SQL text, so every database's backup has the same shape (a gzip of SQL
/// with Frappe's header). The rows are read from an online-backup copy (SQLite's backup API),
/// taken in one step under a read snapshot that never blocks writers in WAL mode. Each
/// statement is one line: newlines inside text become <c>char(10)</c>, so the loader needs no
/// SQL parser.
/// </summary>
public static class SqliteDump
{
    public static async Task WriteAsync(DbConnectionInfo info, Stream output, IReadOnlyList<string> include, IReadOnlyList<string> exclude, CancellationToken ct)
    {
        var source = DbTools.SqlitePath(info);
        var snapshot = Path.Combine(Path.GetDirectoryName(source)!, "." + Path.GetFileName(source) + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".snapshot.tmp");
        try
        {
            using (var src = new SqliteConnection(info.ConnectionString))
            using (var dst = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshot, Pooling = false }.ToString()))
            {
                src.Open();
                dst.Open();
                src.BackupDatabase(dst);
            }
            using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshot, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
            conn.Open();
            await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            var schema = new List<(string Type, string Name, string Table, string Sql)>();
            using (var cmd = conn.CreateCommand())
            {
                cmd.CommandText = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, name";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                    schema.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
            }
            bool Wanted(string table) => (include.Count == 0 || include.Contains(table)) && !exclude.Contains(table);
            await writer.WriteLineAsync("-- SQLite dump (SharpBench)");
            foreach (var (type, name, table, sql) in schema)
            {
                if (!Wanted(table) || type != "table")
                    continue;
                ct.ThrowIfCancellationRequested();
                await writer.WriteLineAsync($"DROP TABLE IF EXISTS {Quote(name)};");
                await writer.WriteLineAsync(OneLine(sql) + ";");
                using var cmd = conn.CreateCommand();
                cmd.CommandText = $"SELECT * FROM {Quote(name)}";
                using var r = cmd.ExecuteReader();
                var prefix = $"INSERT INTO {Quote(name)} VALUES(";
                var line = new StringBuilder();
                while (r.Read())
                {
                    line.Clear().Append(prefix);
                    for (var i = 0; i < r.FieldCount; i++)
                    {
                        if (i > 0)
                            line.Append(',');
                        AppendLiteral(line, r.GetValue(i));
                    }
                    line.Append(");");
                    await writer.WriteLineAsync(line, ct);
                }
            }
            foreach (var (type, _, table, sql) in schema)
            {
                if (type != "table" && Wanted(table))
                    await writer.WriteLineAsync(OneLine(sql) + ";");
            }
            await writer.FlushAsync(ct);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(snapshot);
        }
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string OneLine(string sql) => sql.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static void AppendLiteral(StringBuilder sb, object value)
    {
        switch (value)
        {
            case DBNull:
                sb.Append("NULL");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d when double.IsFinite(d):
                sb.Append(d.ToString("R", CultureInfo.InvariantCulture));
                if (!d.ToString("R", CultureInfo.InvariantCulture).Contains('.', StringComparison.Ordinal) && !d.ToString("R", CultureInfo.InvariantCulture).Contains('E', StringComparison.Ordinal))
                    sb.Append(".0");
                break;
            case double d:
                sb.Append(double.IsNaN(d) ? "NULL" : d > 0 ? "9e999" : "-9e999");
                break;
            case byte[] bytes:
                sb.Append("X'").Append(Convert.ToHexString(bytes)).Append('\'');
                break;
            default:
                AppendText(sb, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                break;
        }
    }

    private static void AppendText(StringBuilder sb, string s)
    {
        sb.Append('\'');
        foreach (var c in s)
        {
            switch (c)
            {
                case '\'':
                    sb.Append("''");
                    break;
                case '\n':
                    sb.Append("'||char(10)||'");
                    break;
                case '\r':
                    sb.Append("'||char(13)||'");
                    break;
                case '\0':
                    sb.Append("'||char(0)||'");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        sb.Append('\'');
    }

    /// <summary>Runs a dump made by <see cref="WriteAsync"/> against a SQLite file, in one transaction.</summary>
    public static async Task LoadAsync(string path, TextReader sql, CancellationToken ct)
    {
        using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        conn.Open();
        using (var pragma = conn.CreateCommand())
        {
            pragma.CommandText = "PRAGMA foreign_keys=OFF;";
            pragma.ExecuteNonQuery();
        }
        using var tx = conn.BeginTransaction();
        var batch = new StringBuilder();
        async Task FlushAsync()
        {
            if (batch.Length == 0)
                return;
            using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = batch.ToString();
            await cmd.ExecuteNonQueryAsync(ct);
            batch.Clear();
        }
        string? line;
        while ((line = await sql.ReadLineAsync(ct)) is not null)
        {
            if (line.Length == 0 || line.StartsWith("--", StringComparison.Ordinal))
                continue;
            batch.Append(line).Append('\n');
            if (batch.Length > 1 << 20)
                await FlushAsync();
        }
        await FlushAsync();
        tx.Commit();
    }
}
