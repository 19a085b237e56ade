using System.Diagnostics;
using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Backups;

/// <summary>
/// The offsite flow of docs/operations.md, as written there: back up the sites, push the
/// <c>sites</c> folder to a restic repository, forget and prune, lose the machine (database and
/// bench), then restore the folder onto a fresh bench and the site from its newest backup.
/// </summary>
public sealed class ResticTests
{
    private static async Task<string> ResticAsync(string repo, string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo("restic") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment["RESTIC_REPOSITORY"] = repo;
        psi.Environment["RESTIC_PASSWORD"] = "restic-test-password";
        psi.Environment["RESTIC_CACHE_DIR"] = Path.Combine(repo + "-cache");
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"restic {string.Join(' ', args)}: {await stdout}{await stderr}");
        return await stdout;
    }

    [Theory]
    [InlineData(DbKind.MariaDb)]
    [InlineData(DbKind.Sqlite)]
    public async Task SitesComeBackFromAResticSnapshotOnANewBench(DbKind kind)
    {
        await using var oldMachine = new TempBench();
        await using var newMachine = new TempBench();
        var site = await oldMachine.CreateSiteAsync(kind);
        var (apiKey, apiSecret) = await BackupSupport.FillAsync(site);
        var rows = await BackupSupport.RowsAsync(site);
        var files = BackupSupport.FileHashes(site.Path);
        var repo = Path.Combine(oldMachine.Root, "..", "restic-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // On the old machine: backups, then the sites folder to restic; one older snapshot is pruned.
            await ResticAsync(repo, oldMachine.Root, "init");
            for (var i = 0; i < 2; i++)
            {
                var backup = await BenchCli.RunAsync(oldMachine.Root, "--site", "all", "backup", "--with-files");
                Assert.True(backup.ExitCode == 0, backup.Output);
                await ResticAsync(repo, oldMachine.Root, "backup", "sites");
            }
            await ResticAsync(repo, oldMachine.Root, "forget", "--group-by", "paths", "--keep-last", "1", "--prune");
            Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(await ResticAsync(repo, oldMachine.Root, "snapshots", "--json"))!.AsArray());

            // The machine is lost: its database and its bench.
            var sitesPath = Path.GetFullPath(Path.Combine(oldMachine.Root, "sites"));
            if (kind != DbKind.Sqlite)
                await TempBench.Admin(kind).DropSiteDatabaseAsync(site.Config.GetString("db_name")!);
            Directory.Delete(sitesPath, recursive: true);

            // On the new machine: the sites folder from the newest snapshot, then each site from its newest backup.
            // "restic backup sites" (a relative path) restores as <target>/sites; Debian 12's restic 0.14
            // has no "latest:subfolder", so the folder is moved from there into the new bench.
            var staging = Path.Combine(newMachine.Root, "restic-restore");
            await ResticAsync(repo, newMachine.Root, "restore", "latest", "--target", staging);
            Directory.Delete(Path.Combine(newMachine.Root, "sites"), recursive: true);
            Directory.Move(Path.Combine(staging, "sites"), Path.Combine(newMachine.Root, "sites"));
            var folder = Path.Combine(newMachine.Root, "sites", site.Name, "private", "backups");
            var slug = site.Name.Replace('.', '_');
            var newest = Directory.GetFiles(folder, $"*-{slug}-database.sql.gz").Max(StringComparer.Ordinal)!;
            var prefix = Path.GetFileName(newest)[..15];
            var restore = await BenchCli.RunAsync(newMachine.Root, [
                "--site", site.Name, "restore", newest,
                "--with-public-files", Path.Combine(folder, $"{prefix}-{slug}-files.tar"),
                "--with-private-files", Path.Combine(folder, $"{prefix}-{slug}-private-files.tar"),
                .. BackupSupport.RootArgs(kind)]);
            Assert.True(restore.ExitCode == 0, restore.Output);

            var restored = BenchHost.Sites(newMachine.Bench).Find(site.Name)!;
            BackupSupport.AssertSameData(rows, await BackupSupport.RowsAsync(restored));
            Assert.Equal(files, BackupSupport.FileHashes(restored.Path));
            await using var db = await restored.OpenDatabaseAsync();
            Assert.Equal("backup.user@example.com", await SharpBench.Auth.ApiKeyAuth.FindUserAsync(db, restored, apiKey, apiSecret));
            if (kind != DbKind.Sqlite)
                await TempBench.Admin(kind).DropSiteDatabaseAsync(restored.Config.GetString("db_name")!);
        }
        finally
        {
            foreach (var d in new[] { repo, repo + "-cache" })
            {
                if (Directory.Exists(d))
                    Directory.Delete(d, recursive: true);
            }
        }
    }
}
