using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SharpBench.Auth;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Backups;

/// <summary>Fills a site with what a backup must keep, and takes exact snapshots of its tables and files to compare.</summary>
public static class BackupSupport
{
    public static string[] RootArgs(DbKind kind) => kind switch
    {
        DbKind.MariaDb => ["--db-root-username", TestServices.MariaDbRootUser, "--db-root-password", TestServices.MariaDbRootPassword,
            "--db-host", TestServices.MariaDbHost, "--db-port", TestServices.MariaDbPort.ToString(CultureInfo.InvariantCulture)],
        DbKind.Postgres => ["--db-root-username", TestServices.PostgresRootUser, "--db-root-password", TestServices.PostgresRootPassword,
            "--db-host", TestServices.PostgresHost, "--db-port", TestServices.PostgresPort.ToString(CultureInfo.InvariantCulture)],
        _ => [],
    };

    /// <summary>Documents, a user with roles (a child table), an API key pair, public and private files (one in a subfolder, one binary).</summary>
    public static async Task<(string ApiKey, string ApiSecret)> FillAsync(Site site, int todos = 25)
    {
        await using (var ctx = new FrappeContext(site, "Administrator"))
        {
            for (var i = 0; i < todos; i++)
            {
                var doc = await Documents.NewAsync(ctx, "ToDo", new JsonObject { ["description"] = $"Task {i}: it's \"quoted\"\nsecond line ü €", ["priority"] = i % 2 == 0 ? "High" : "Low", ["date"] = "2024-05-01" });
                await doc.InsertAsync(ctx);
            }
            var user = await Documents.NewAsync(ctx, "User", new JsonObject
            {
                ["email"] = "backup.user@example.com",
                ["first_name"] = "Backup",
                ["roles"] = new JsonArray(new JsonObject { ["role"] = "System Manager" }, new JsonObject { ["role"] = "Desk User" }),
            });
            await user.InsertAsync(ctx);
            await ctx.CommitAsync();
        }
        (string, string) keys;
        await using (var db = await site.OpenDatabaseAsync())
        {
            await db.BeginAsync();
            keys = await ApiKeyAuth.GenerateAsync(db, site, "backup.user@example.com");
            await db.CommitAsync();
        }
        var pub = Path.Combine(site.Path, "public", "files");
        var priv = Path.Combine(site.Path, "private", "files");
        await File.WriteAllTextAsync(Path.Combine(pub, "logo.txt"), "public bytes");
        Directory.CreateDirectory(Path.Combine(pub, "nested dir"));
        await File.WriteAllBytesAsync(Path.Combine(pub, "nested dir", "blob.bin"), RandomNumberGenerator.GetBytes(70_000));
        await File.WriteAllTextAsync(Path.Combine(priv, "contract.txt"), "private bytes ü");
        return keys;
    }

    public static async Task<List<string>> TablesAsync(Database db)
    {
        var sql = db.Dialect.Kind switch
        {
            DbKind.MariaDb => "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()",
            DbKind.Postgres => "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'",
            _ => "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        };
        return (await db.QueryAsync(sql, [])).Select(r => Convert.ToString(r["t"] ?? r["T"], CultureInfo.InvariantCulture)!).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every row of every table, as sorted text lines per table.</summary>
    public static async Task<SortedDictionary<string, List<string>>> RowsAsync(Site site)
    {
        await using var db = await site.OpenDatabaseAsync();
        var result = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in await TablesAsync(db))
        {
            var rows = await db.QueryAsync($"SELECT * FROM {db.Dialect.Quote(table)}", []);
            result[table] = rows.Select(r => string.Join("|", r.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + Text(p.Value)))).Order(StringComparer.Ordinal).ToList();
        }
        return result;
    }

    private static string Text(object? v) => v switch
    {
        null or DBNull => "NULL",
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        byte[] b => Convert.ToHexString(b),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    public static SortedDictionary<string, string> FileHashes(string sitePath)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in new[] { "public/files", "private/files" })
        {
            var root = Path.Combine(sitePath, folder);
            if (!Directory.Exists(root))
                continue;
            foreach (var f in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                result[folder + "/" + Path.GetRelativePath(root, f)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)));
        }
        return result;
    }

    /// <summary>The DocType definition tables migrate writes anew from the apps' JSON (new row names and times).</summary>
    public static readonly HashSet<string> RewrittenByMigrate = ["tabDocType", "tabDocField", "tabDocPerm"];

    /// <summary>Every table equal row for row, except the definitions a migrate rewrites.</summary>
    public static void AssertSameData(SortedDictionary<string, List<string>> before, SortedDictionary<string, List<string>> after)
    {
        Assert.Equal(before.Keys, after.Keys);
        foreach (var table in before.Keys.Where(t => !RewrittenByMigrate.Contains(t)))
            Assert.True(before[table].SequenceEqual(after[table]), $"{table} differs after restore:\n- {string.Join("\n- ", before[table].Except(after[table]).Take(3))}\n+ {string.Join("\n+ ", after[table].Except(before[table]).Take(3))}");
        foreach (var table in RewrittenByMigrate.Where(before.ContainsKey))
            Assert.Equal(before[table].Count, after[table].Count);
    }

    public static string[] BackupFiles(string folder, string pattern) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, pattern).Order(StringComparer.Ordinal).ToArray() : [];

    public static string Dump(SortedDictionary<string, List<string>> a) =>
        new StringBuilder().AppendJoin("\n", a.Select(p => p.Key + ": " + p.Value.Count)).ToString();
}
