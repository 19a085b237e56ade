using SharpBench.Auth;
using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Install;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Backups;

/// <summary>
/// The whole cycle a user depends on: back up with files, lose the site, restore it, and find
/// every table row, every file and every API key as it was.
/// </summary>
public sealed class RoundTripTests
{
    public static TheoryData<DbKind> AllDatabases => new() { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres };

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task BackupDropRestoreKeepsEveryRowFileAndApiKey(DbKind kind)
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(kind);
        var (apiKey, apiSecret) = await BackupSupport.FillAsync(site);
        var rowsBefore = await BackupSupport.RowsAsync(site);
        var filesBefore = BackupSupport.FileHashes(site.Path);

        var backup = await BenchCli.RunAsync(b.Root, "--site", site.Name, "backup", "--with-files");
        Assert.True(backup.ExitCode == 0, backup.Output);
        var folder = Path.Combine(site.Path, "private", "backups");
        var slug = site.Name.Replace('.', '_');
        var db = Assert.Single(BackupSupport.BackupFiles(folder, $"*-{slug}-database.sql.gz"));
        Assert.Single(BackupSupport.BackupFiles(folder, $"*-{slug}-site_config_backup.json"));
        var pub = Assert.Single(BackupSupport.BackupFiles(folder, $"*-{slug}-files.tar"));
        var priv = Assert.Single(BackupSupport.BackupFiles(folder, $"*-{slug}-private-files.tar"));
        Assert.Matches(@"^\d{8}_\d{6}-", Path.GetFileName(db));

        // The backups leave the machine (as with restic), then the site is lost.
        var offsite = Directory.CreateDirectory(Path.Combine(b.Root, "offsite")).FullName;
        foreach (var f in Directory.GetFiles(folder))
            File.Copy(f, Path.Combine(offsite, Path.GetFileName(f)));
        await new SiteCreator(b.Bench, _ => { }).DropAsync(site.Name, RootUser(kind), RootPassword(kind), force: false);
        Assert.False(b.Bench.SiteExists(site.Name));

        var restore = await BenchCli.RunAsync(b.Root, [
            "--site", site.Name, "restore", Path.Combine(offsite, Path.GetFileName(db)),
            "--with-public-files", Path.Combine(offsite, Path.GetFileName(pub)),
            "--with-private-files", Path.Combine(offsite, Path.GetFileName(priv)),
            .. BackupSupport.RootArgs(kind)]);
        Assert.True(restore.ExitCode == 0, restore.Output);

        var restored = BenchHost.Sites(b.Bench).Find(site.Name)!;
        try
        {
            var rowsAfter = await BackupSupport.RowsAsync(restored);
            // The restore then migrates, which writes the DocType definitions anew; every other row is
            // as it was (the restore alone is compared row for row in the next test, which skips migrate).
            BackupSupport.AssertSameData(rowsBefore, rowsAfter);
            Assert.Equal(filesBefore, BackupSupport.FileHashes(restored.Path));
            await using var conn = await restored.OpenDatabaseAsync();
            Assert.Equal("backup.user@example.com", await ApiKeyAuth.FindUserAsync(conn, restored, apiKey, apiSecret));
            Assert.False(MaintenanceMode.IsOn(restored.Config));
        }
        finally
        {
            if (kind != DbKind.Sqlite)
                await TempBench.Admin(kind).DropSiteDatabaseAsync(restored.Config.GetString("db_name")!);
        }
    }

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task RestoreOverAnExistingSiteReplacesItsDataAndDropsTheOldDatabase(DbKind kind)
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(kind);
        await BackupSupport.FillAsync(site, todos: 3);
        var rowsBefore = await BackupSupport.RowsAsync(site);
        var set = await new SharpBench.Backups.SiteBackup(b.Bench, _ => { }).TakeAsync(site, new SharpBench.Backups.BackupOptions());
        var oldDb = site.Config.GetString("db_name")!;

        // Changes after the backup are undone by the restore.
        await using (var ctx = new FrappeContext(site, "Administrator"))
        {
            var doc = await SharpBench.Model.Documents.NewAsync(ctx, "ToDo", new System.Text.Json.Nodes.JsonObject { ["description"] = "after the backup" });
            await doc.InsertAsync(ctx);
            await ctx.CommitAsync();
        }
        var r = await BenchCli.RunAsync(b.Root, ["--site", site.Name, "restore", set.Database, "--skip-migrate", .. BackupSupport.RootArgs(kind)]);
        Assert.True(r.ExitCode == 0, r.Output);
        var restored = BenchHost.Sites(b.Bench).Find(site.Name)!;
        Assert.NotEqual(oldDb, restored.Config.GetString("db_name"));
        Assert.Equal(rowsBefore, await BackupSupport.RowsAsync(restored));
        if (kind == DbKind.Sqlite)
            Assert.False(File.Exists(DbConnectionInfo.SqlitePath(site.Path, oldDb)));
        else
            Assert.False(await TempBench.Admin(kind).DatabaseExistsAsync(oldDb));
        if (kind != DbKind.Sqlite)
            await TempBench.Admin(kind).DropSiteDatabaseAsync(restored.Config.GetString("db_name")!);
    }

    private static string? RootUser(DbKind kind) => kind == DbKind.Postgres ? TestServices.PostgresRootUser : kind == DbKind.MariaDb ? TestServices.MariaDbRootUser : null;

    private static string? RootPassword(DbKind kind) => kind == DbKind.Postgres ? TestServices.PostgresRootPassword : kind == DbKind.MariaDb ? TestServices.MariaDbRootPassword : null;
}
