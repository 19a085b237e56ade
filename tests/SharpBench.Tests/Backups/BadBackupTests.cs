using System.IO.Compression;
using System.Text;
using SharpBench.Backups;
using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Backups;

/// <summary>A damaged, truncated, foreign or wrongly keyed backup: a clear error, and the target site exactly as it was.</summary>
public sealed class BadBackupTests
{
    private sealed record Target(TempBench Bench, Site Site, BackupSet Set, SortedDictionary<string, List<string>> Rows, SortedDictionary<string, string> Files, string Config);

    private static async Task<Target> PrepareAsync(DbKind kind, bool encrypt = false)
    {
        var b = new TempBench();
        var site = await b.CreateSiteAsync(kind);
        if (encrypt)
        {
            ConfigFile.Update(Path.Combine(site.Path, Bench.SiteConfigFile), c => c["encrypt_backup"] = 1);
            site = BenchHost.Sites(b.Bench).Find(site.Name)!;
        }
        await BackupSupport.FillAsync(site, todos: 5);
        var set = await new SiteBackup(b.Bench, _ => { }).TakeAsync(site, new BackupOptions { WithFiles = true });
        return new Target(b, site, set, await BackupSupport.RowsAsync(site), BackupSupport.FileHashes(site.Path), await File.ReadAllTextAsync(Path.Combine(site.Path, Bench.SiteConfigFile)));
    }

    private static async Task AssertUntouchedAsync(Target t)
    {
        Assert.Equal(t.Config, await File.ReadAllTextAsync(Path.Combine(t.Site.Path, Bench.SiteConfigFile)));
        var site = BenchHost.Sites(t.Bench.Bench).Find(t.Site.Name)!;
        Assert.Equal(t.Rows, await BackupSupport.RowsAsync(site));
        Assert.Equal(t.Files, BackupSupport.FileHashes(site.Path));
    }

    private static Task<BenchCli.Result> RestoreAsync(Target t, string db, params string[] extra) =>
        BenchCli.RunAsync(t.Bench.Root, ["--site", t.Site.Name, "restore", db, .. extra, .. BackupSupport.RootArgs(t.Site.Connection.Kind)]);

    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.MariaDb)]
    public async Task TruncatedGzipIsRefused(DbKind kind)
    {
        var t = await PrepareAsync(kind);
        await using var _ = t.Bench;
        var bytes = await File.ReadAllBytesAsync(t.Set.Database);
        var cut = Path.Combine(t.Bench.Root, "cut-database.sql.gz");
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)]);
        var r = await RestoreAsync(t, cut);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("incomplete", r.Stderr);
        Assert.Contains("Nothing was changed", r.Stderr);
        await AssertUntouchedAsync(t);
    }

    [Fact]
    public async Task CorruptedGzipIsRefused()
    {
        var t = await PrepareAsync(DbKind.Sqlite);
        await using var _ = t.Bench;
        var bytes = await File.ReadAllBytesAsync(t.Set.Database);
        for (var i = bytes.Length / 3; i < bytes.Length / 3 + 64; i++)
            bytes[i] ^= 0x5a;
        var bad = Path.Combine(t.Bench.Root, "bad-database.sql.gz");
        await File.WriteAllBytesAsync(bad, bytes);
        var r = await RestoreAsync(t, bad);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("damaged or incomplete", r.Stderr);
        await AssertUntouchedAsync(t);
    }

    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.Postgres)]
    public async Task DumpCutAtALineBoundaryIsRefused(DbKind kind)
    {
        // A well-formed gzip whose SQL stops half-way: only the dump's closing line tells.
        var t = await PrepareAsync(kind);
        await using var _ = t.Bench;
        string sql;
        await using (var gz = new GZipStream(File.OpenRead(t.Set.Database), CompressionMode.Decompress))
        using (var reader = new StreamReader(gz))
            sql = await reader.ReadToEndAsync();
        var lines = sql.Split('\n');
        var cut = Path.Combine(t.Bench.Root, "half-database.sql.gz");
        await using (var gz = new GZipStream(File.Create(cut), CompressionLevel.Fastest))
            await gz.WriteAsync(Encoding.UTF8.GetBytes(string.Join('\n', lines[..(lines.Length / 2)]) + "\n"));
        var r = await RestoreAsync(t, cut);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("incomplete", r.Stderr);
        await AssertUntouchedAsync(t);
    }

    [Fact]
    public async Task TruncatedFilesArchiveIsRefusedBeforeTheDatabaseIsTouched()
    {
        var t = await PrepareAsync(DbKind.Sqlite);
        await using var _ = t.Bench;
        var bytes = await File.ReadAllBytesAsync(t.Set.PublicFiles!);
        var cut = Path.Combine(t.Bench.Root, "cut-files.tar");
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)]);
        var r = await RestoreAsync(t, t.Set.Database, "--with-public-files", cut);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not a complete files archive", r.Stderr);
        await AssertUntouchedAsync(t);
    }

    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.MariaDb)]
    public async Task EncryptedBackupNeedsTheRightKey(DbKind kind)
    {
        var t = await PrepareAsync(kind, encrypt: true);
        await using var _ = t.Bench;
        Assert.EndsWith("-database-enc.sql.gz", t.Set.Database);
        Assert.True(t.Set.Encrypted);
        // Encrypted: no gzip magic, and no readable text of the site in it.
        var head = (await File.ReadAllBytesAsync(t.Set.Database))[..2];
        Assert.NotEqual(new byte[] { 0x1f, 0x8b }, head);

        var r = await RestoreAsync(t, t.Set.Database, "--encryption-key", "not-the-key");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("encryption key is wrong", r.Stderr);
        await AssertUntouchedAsync(t);

        // With the site's own key (the default) it restores.
        var ok = await RestoreAsync(t, t.Set.Database, "--with-private-files", t.Set.PrivateFiles!, "--skip-migrate");
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.Equal(t.Rows, await BackupSupport.RowsAsync(BenchHost.Sites(t.Bench.Bench).Find(t.Site.Name)!));
    }

    [Fact]
    public async Task BackupFromAnotherDatabaseTypeIsRefused()
    {
        var t = await PrepareAsync(DbKind.Sqlite);
        await using var _ = t.Bench;
        var maria = await t.Bench.CreateSiteAsync(DbKind.MariaDb);
        var before = await BackupSupport.RowsAsync(maria);
        var r = await BenchCli.RunAsync(t.Bench.Root, ["--site", maria.Name, "restore", t.Set.Database, .. BackupSupport.RootArgs(DbKind.MariaDb)]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("taken on sqlite", r.Stderr);
        Assert.Contains("runs on mariadb", r.Stderr);
        Assert.Equal(before, await BackupSupport.RowsAsync(maria));
    }

    [Fact]
    public async Task BackupFromANewerSchemaIsRefused()
    {
        var t = await PrepareAsync(DbKind.Sqlite);
        await using var _ = t.Bench;
        string sql;
        await using (var gz = new GZipStream(File.OpenRead(t.Set.Database), CompressionMode.Decompress))
        using (var reader = new StreamReader(gz))
            sql = await reader.ReadToEndAsync();
        Assert.Contains($"-- schema_version = {BackupMetadata.CurrentSchemaVersion}\n", sql);
        var newer = Path.Combine(t.Bench.Root, "newer-database.sql.gz");
        await using (var gz = new GZipStream(File.Create(newer), CompressionLevel.Fastest))
            await gz.WriteAsync(Encoding.UTF8.GetBytes(sql.Replace($"-- schema_version = {BackupMetadata.CurrentSchemaVersion}\n", "-- schema_version = 999\n", StringComparison.Ordinal)));
        var r = await RestoreAsync(t, newer);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("newer SharpBench", r.Stderr);
        await AssertUntouchedAsync(t);
    }

    [Fact]
    public async Task PartialBackupRestoresOnlyWithPartialRestore()
    {
        var t = await PrepareAsync(DbKind.Sqlite);
        await using var _ = t.Bench;
        var partial = await new SiteBackup(t.Bench.Bench, _ => { }).TakeAsync(t.Site, new BackupOptions { Include = ["ToDo"] });
        Assert.Contains("-partial-database.sql.gz", partial.Database);
        var r = await RestoreAsync(t, partial.Database);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("partial-restore", r.Stderr);
        await AssertUntouchedAsync(t);

        // Lose the ToDos, then bring back that table alone.
        await using (var db = await t.Site.OpenDatabaseAsync())
            await db.ExecuteAsync("DELETE FROM \"tabToDo\"", []);
        var pr = await BenchCli.RunAsync(t.Bench.Root, "--site", t.Site.Name, "partial-restore", partial.Database);
        Assert.True(pr.ExitCode == 0, pr.Output);
        await AssertUntouchedAsync(t);
    }

    [Fact]
    public async Task UnknownDocTypeInIncludeIsAClearError()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        var r = await BenchCli.RunAsync(b.Root, "--site", site.Name, "backup", "--include", "No Such Thing");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("No Such Thing", r.Stderr);
        Assert.Empty(Directory.GetFiles(Path.Combine(site.Path, "private", "backups")));
    }
}
