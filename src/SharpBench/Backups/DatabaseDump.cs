using System.Text;
using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench.Backups;

/// <summary>
/// Writes a site's database as SQL text into a stream: MariaDB through
/// <c>mariadb-dump --single-transaction</c> and PostgreSQL through <c>pg_dump</c> (each one
/// consistent snapshot that never blocks writers), SQLite from an online-backup snapshot.
/// </summary>
public static class DatabaseDump
{
    public static async Task WriteAsync(Site site, Stream output, IReadOnlyList<string> includeTables, IReadOnlyList<string> excludeTables, CancellationToken ct)
    {
        var kind = site.DatabaseKind;
        switch (kind)
        {
            case DbKind.Sqlite:
                await SqliteDump.WriteAsync(site.Connection, output, includeTables, excludeTables, ct);
                break;
            case DbKind.MariaDb:
                {
                    var login = DbTools.For(site.ServerLogin);
                    var args = new List<string> { "--single-transaction", "--quick", "--lock-tables=false", "--no-tablespaces", "--default-character-set=utf8mb4" };
                    args.AddRange(DbTools.MariaDbConnectArgs(login));
                    foreach (var t in excludeTables)
                        args.Add($"--ignore-table={login.Database}.{t}");
                    args.Add(login.Database);
                    args.AddRange(includeTables);
                    await ToolProcess.RunToStreamAsync(Tool("mariadb-dump", "mysqldump"), args, DbTools.Env(kind, login), output, ct);
                    break;
                }
            default:
                {
                    var login = DbTools.For(site.ServerLogin);
                    // No owner or grants: the restored tables belong to whichever login loads them,
                    // which is a new one when a backup is restored into a scratch database.
                    var args = new List<string> { "--no-owner", "--no-privileges", "--encoding=UTF8" };
                    args.AddRange(DbTools.PostgresConnectArgs(login));
                    foreach (var t in includeTables)
                        args.Add($"--table=public.\"{t}\"");
                    foreach (var t in excludeTables)
                        args.Add($"--exclude-table-data=public.\"{t}\"");
                    await ToolProcess.RunToStreamAsync("pg_dump", args, DbTools.Env(kind, login), output, ct);
                    break;
                }
        }
        await output.WriteAsync(Encoding.UTF8.GetBytes("\n" + BackupMetadata.DumpCompleteMarker + "\n"), ct);
    }

    /// <summary>The tables of the named DocTypes that exist (Frappe's <c>tab</c> + name); unknown names are an error.</summary>
    public static async Task<List<string>> TablesForAsync(Site site, IReadOnlyList<string> doctypes, CancellationToken ct)
    {
        if (doctypes.Count == 0)
            return [];
        await using var db = await site.OpenDatabaseAsync(ct);
        var tables = new List<string>();
        foreach (var doctype in doctypes)
        {
            var table = "tab" + doctype;
            if ((await db.Dialect.ColumnsAsync(db, table, ct)).Count == 0)
                throw new BenchException($"DocType {doctype} has no table on {site.Name}.");
            tables.Add(table);
        }
        return tables;
    }

    /// <summary>The first of the given programs found on PATH (Debian's MariaDB keeps mysqldump as a link).</summary>
    internal static string Tool(params string[] names)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in names)
        {
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (File.Exists(Path.Combine(dir, name)))
                    return name;
            }
        }
        return names[0];
    }
}
