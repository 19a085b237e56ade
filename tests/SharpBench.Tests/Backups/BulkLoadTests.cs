using System.Globalization;
using System.IO.Compression;
using System.Text;
using SharpBench.Backups;
using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Backups;

/// <summary>
/// A MariaDB restore loads large tables through LOAD DATA (rows converted from the dump's INSERT
/// lines): it must put back exactly what loading the SQL would, whatever the values hold, and
/// fall back to the SQL where it cannot vouch for a row.
/// </summary>
public sealed class BulkLoadTests
{
    // What the dump's SQL escapes (quotes, backslash, newline, CR, NUL, Ctrl-Z), what it leaves raw
    // (a tab), and what LOAD DATA reads specially (\N, NULL as text).
    private static readonly string[] Texts =
    [
        "plain", "", "NULL", "\\N", "tab\there", "new\nline", "cr\rhere", "back\\slash", "it's \"quoted\"",
        "nul\0byte", "ctrl-z\u001a", "ü € 😀", "trailing  ", "\\0 \\n \\t written out", "'", "\\",
    ];

    [Fact]
    public async Task LargeTablesRestoreExactlyThroughTheFastLoad()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.MariaDb);
        await using (var db = await site.OpenDatabaseAsync())
        {
            await db.ExecuteAsync("CREATE TABLE `bulk probe` (id INT PRIMARY KEY, txt LONGTEXT, bin LONGBLOB, num DECIMAL(18,6), f DOUBLE, d DATETIME(6), maybe INT, flags BIT(8)) CHARSET utf8mb4 COLLATE utf8mb4_unicode_ci", []);
            for (var start = 0; start < 3000; start += 500)
            {
                var sql = new StringBuilder("INSERT INTO `bulk probe` VALUES ");
                var args = new List<object?>();
                for (var i = start; i < start + 500; i++)
                {
                    sql.Append(i > start ? ",(?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?)");
                    var random = new Random(i);
                    var bytes = new byte[random.Next(0, 40)];
                    random.NextBytes(bytes);
                    args.AddRange([i, Texts[i % Texts.Length] + i.ToString(CultureInfo.InvariantCulture), bytes, i * -1.5m, i / 7.0,
                        new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).AddSeconds(i * 37.123457), i % 3 == 0 ? null : i, (ulong)(i % 256)]);
                }
                await db.ExecuteAsync(sql.ToString(), args);
            }
        }
        var before = await BackupSupport.RowsAsync(site);
        var set = await new SiteBackup(b.Bench, _ => { }).TakeAsync(site, new BackupOptions());

        var loads = await ComLoadAsync();
        var r = await RestoreAsync(b, site, set.Database);
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.DoesNotContain("plain SQL", r.Output, StringComparison.Ordinal);
        Assert.True(await ComLoadAsync() > loads, "the restore did not use LOAD DATA");

        await WithRestoredAsync(b, site, async restored =>
        {
            BackupSupport.AssertSameData(before, await BackupSupport.RowsAsync(restored));
            Assert.Equal(3000, before["bulk probe"].Count);
        });
    }

    [Fact]
    public async Task DeclinedRowsAndSingleLineStatementsStillArriveInOrder()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.MariaDb);
        var set = await new SiteBackup(b.Bench, _ => { }).TakeAsync(site, new BackupOptions());
        var text = new string('x', 100);
        var sql = new StringBuilder();
        // mariadb-dump's layout, a row a line, with a hex literal (which the fast load declines) in
        // the middle of a statement, then a short statement for the same table.
        sql.Append("CREATE TABLE `probe_mixed` (id INT PRIMARY KEY, v VARBINARY(200));\nINSERT INTO `probe_mixed` VALUES\n");
        for (var i = 1; i <= 1500; i++)
            sql.Append(i == 900 ? "(900,0x414243)" : $"({i},'{text}{i}')").Append(i < 1500 ? ",\n" : ";\n");
        sql.Append("INSERT INTO `probe_mixed` VALUES (1501,'last'),(1502,NULL);\n");
        // mysqldump's layout: every row of a statement on one line.
        sql.Append("CREATE TABLE `probe_single` (id INT PRIMARY KEY, v TEXT);\n");
        for (var s = 0; s < 2; s++)
        {
            sql.Append("INSERT INTO `probe_single` VALUES ");
            for (var i = 0; i < 1000; i++)
                sql.Append(i > 0 ? "," : "").Append(CultureInfo.InvariantCulture, $"({(s * 1000) + i},'{text} it\\'s {i}')");
            sql.Append(";\n");
        }
        var file = WithExtraSql(set.Database, sql.ToString());

        var loads = await ComLoadAsync();
        var r = await RestoreAsync(b, site, file);
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.True(await ComLoadAsync() >= loads + 2, "the large statements did not go through LOAD DATA");

        await WithRestoredAsync(b, site, async restored =>
        {
            await using var db = await restored.OpenDatabaseAsync();
            var mixed = await db.QueryAsync("SELECT id, v FROM probe_mixed ORDER BY id", []);
            Assert.Equal(1502, mixed.Count);
            Assert.Equal("ABC", Encoding.ASCII.GetString((byte[])mixed[899]["v"]!));
            Assert.Equal(text + "899", Encoding.ASCII.GetString((byte[])mixed[898]["v"]!));
            Assert.Equal(text + "1500", Encoding.ASCII.GetString((byte[])mixed[1499]["v"]!));
            Assert.Null(mixed[1501]["v"]);
            var single = await db.QueryAsync("SELECT id, v FROM probe_single ORDER BY id", []);
            Assert.Equal(2000, single.Count);
            Assert.Equal($"{text} it's 999", single[1999]["v"]);
        });
    }

    [Fact]
    public async Task ALoadThatWarnsIsLoadedAgainAsPlainSql()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.MariaDb);
        var set = await new SiteBackup(b.Bench, _ => { }).TakeAsync(site, new BackupOptions());
        var sql = new StringBuilder("CREATE TABLE `probe_warn` (id INT PRIMARY KEY, n INT, pad TEXT);\nINSERT INTO `probe_warn` VALUES\n");
        // 'abc' into an INT: the dump's own sql_mode (not strict) stores 0 with a warning, and the
        // load's warning must not pass unnoticed.
        for (var i = 1; i <= 1000; i++)
            sql.Append(i == 500 ? "(500,'abc','x')" : $"({i},{i},'{new string('p', 80)}')").Append(i < 1000 ? ",\n" : ";\n");
        var file = WithExtraSql(set.Database, sql.ToString());

        var r = await RestoreAsync(b, site, file);
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Contains("again as plain SQL", r.Output, StringComparison.Ordinal);
        await WithRestoredAsync(b, site, async restored =>
        {
            await using var db = await restored.OpenDatabaseAsync();
            Assert.Equal(1000L, Convert.ToInt64((await db.QueryAsync("SELECT COUNT(*) AS c FROM probe_warn", []))[0]["c"], CultureInfo.InvariantCulture));
            Assert.Equal(0L, Convert.ToInt64((await db.QueryAsync("SELECT n FROM probe_warn WHERE id = 500", []))[0]["n"], CultureInfo.InvariantCulture));
            Assert.Equal(999L, Convert.ToInt64((await db.QueryAsync("SELECT n FROM probe_warn WHERE id = 999", []))[0]["n"], CultureInfo.InvariantCulture));
        });
    }

    [Fact]
    public async Task ADumpCutInsideALoadIsRefusedAndTheSiteIsUntouched()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.MariaDb);
        await using (var db = await site.OpenDatabaseAsync())
        {
            await db.ExecuteAsync("CREATE TABLE probe_cut (id INT PRIMARY KEY, v TEXT)", []);
            await db.ExecuteAsync("INSERT INTO probe_cut SELECT seq, REPEAT('v', 200) FROM seq_1_to_5000", []);
        }
        var before = await BackupSupport.RowsAsync(site);
        var config = await File.ReadAllTextAsync(Path.Combine(site.Path, Bench.SiteConfigFile));
        var set = await new SiteBackup(b.Bench, _ => { }).TakeAsync(site, new BackupOptions());
        // Cut the SQL in the middle of the table's rows, then close the gzip properly: only the dump's end is missing.
        var plain = Decompress(set.Database);
        var cut = Path.Combine(b.Root, "cut-database.sql.gz");
        Compress(plain[..plain.IndexOf("(2500,", StringComparison.Ordinal)], cut);

        var r = await RestoreAsync(b, site, cut);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("incomplete", r.Output, StringComparison.Ordinal);
        Assert.Equal(config, await File.ReadAllTextAsync(Path.Combine(site.Path, Bench.SiteConfigFile)));
        Assert.Equal(before, await BackupSupport.RowsAsync(BenchHost.Sites(b.Bench).Find(site.Name)!));
    }

    private static Task<BenchCli.Result> RestoreAsync(TempBench b, Site site, string file) =>
        BenchCli.RunAsync(b.Root, ["--site", site.Name, "restore", file, "--skip-migrate", .. BackupSupport.RootArgs(DbKind.MariaDb)]);

    /// <summary>Checks the restored site, then drops its new database (the bench's own cleanup knows only the first).</summary>
    private static async Task WithRestoredAsync(TempBench b, Site site, Func<Site, Task> check)
    {
        var restored = BenchHost.Sites(b.Bench).Find(site.Name)!;
        try
        {
            await check(restored);
        }
        finally
        {
            await TempBench.Admin(DbKind.MariaDb).DropSiteDatabaseAsync(restored.Config.GetString("db_name")!);
        }
    }

    private static async Task<long> ComLoadAsync()
    {
        await using var db = await Database.OpenAsync(DbConnectionInfo.Server(DbKind.MariaDb, TestServices.MariaDbHost, TestServices.MariaDbPort,
            TestServices.MariaDbRootUser, TestServices.MariaDbRootPassword, null));
        var row = (await db.QueryAsync("SHOW GLOBAL STATUS LIKE 'Com_load'", []))[0];
        return Convert.ToInt64(row["Value"], CultureInfo.InvariantCulture);
    }

    /// <summary>A copy of a backup with SQL added before the dump restores its session settings (so under the dump's own sql_mode).</summary>
    private static string WithExtraSql(string backup, string sql)
    {
        var plain = Decompress(backup);
        const string Trailer = "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;";
        var at = plain.IndexOf(Trailer, StringComparison.Ordinal);
        Assert.True(at > 0, "the dump has no trailer");
        var path = Path.Combine(Path.GetDirectoryName(backup)!, "extra-" + Path.GetFileName(backup));
        Compress(plain[..at] + sql + plain[at..], path);
        return path;
    }

    private static string Decompress(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static void Compress(string text, string path)
    {
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gz.Write(Encoding.UTF8.GetBytes(text));
    }
}
