using System.Diagnostics;
using System.Text.Json.Nodes;
using SharpBench.Backups;
using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Backups;

/// <summary>Backups of a site in use: writers keep writing, a killed backup leaves nothing that looks finished, old ones go.</summary>
public sealed class LiveBackupTests
{
    [Theory]
    [InlineData(DbKind.MariaDb)]
    [InlineData(DbKind.Postgres)]
    [InlineData(DbKind.Sqlite)]
    public async Task BackupWhileEightClientsInsertIsConsistentAndBlocksNoOne(DbKind kind)
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(kind);
        await BackupSupport.FillAsync(site, todos: 200);
        using var stop = new CancellationTokenSource();
        var inserted = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var clients = Enumerable.Range(0, 8).Select(c => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await using var ctx = new FrappeContext(site, "Administrator");
                    var doc = await Documents.NewAsync(ctx, "ToDo", new JsonObject { ["description"] = $"client {c}" });
                    await doc.InsertAsync(ctx);
                    await ctx.CommitAsync();
                    inserted.Add(doc.Name!);
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            }
        })).ToList();
        while (inserted.Count < 20)
            await Task.Delay(10);
        var set = await new SiteBackup(b.Bench, _ => { }).TakeAsync(site, new BackupOptions());
        var afterBackup = inserted.Count;
        await Task.Delay(200);
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        Assert.Empty(failures);
        Assert.True(inserted.Count > afterBackup, "the clients kept inserting after the backup");

        // Restored into a new site: a snapshot, every ToDo whole, each one also in the live site.
        var copy = TempBench.UniqueSite("copy");
        var r = await BenchCli.RunAsync(b.Root, ["--site", copy, "restore", set.Database, "--skip-migrate", .. BackupSupport.RootArgs(kind)]);
        Assert.True(r.ExitCode == 0, r.Output);
        var restored = BenchHost.Sites(b.Bench).Find(copy)!;
        try
        {
            await using var rdb = await restored.OpenDatabaseAsync();
            var names = (await rdb.QueryAsync("SELECT name, description FROM " + rdb.Dialect.Quote("tabToDo"), [])).ToList();
            Assert.All(names, row => Assert.NotNull(row["description"]));
            var live = inserted.ToHashSet();
            var fromClients = names.Select(row => (string)row["name"]!).Where(live.Contains).ToList();
            Assert.InRange(fromClients.Count, 20, afterBackup);
            Assert.Equal(200 + fromClients.Count, names.Count);
        }
        finally
        {
            if (kind != DbKind.Sqlite)
                await TempBench.Admin(kind).DropSiteDatabaseAsync(restored.Config.GetString("db_name")!);
        }
    }

    [Fact]
    public async Task KilledBackupLeavesNoFileThatLooksComplete()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        // A large private file keeps the backup busy long enough to be killed while writing it.
        await using (var big = File.Create(Path.Combine(site.Path, "private", "files", "big.bin")))
        {
            var chunk = new byte[1 << 20];
            Random.Shared.NextBytes(chunk);
            for (var i = 0; i < 200; i++)
                await big.WriteAsync(chunk);
        }
        var folder = Path.Combine(site.Path, "private", "backups");
        using var process = Process.Start(BenchCli.StartInfo(b.Root, "--site", site.Name, "backup", "--with-files", "--compress"))!;
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Directory.GetFiles(folder, "*private-files*.tmp").Any(f => new FileInfo(f).Length > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "the backup never started writing the private files");
            Assert.False(process.HasExited, "the backup finished before it could be killed");
            await Task.Delay(5);
        }
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        await drain;

        var names = Directory.GetFiles(folder).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain(names, n => n!.Contains("-private-files.", StringComparison.Ordinal) && !BackupNames.IsTemporary(n));
        // Whatever carries a finished name is whole.
        foreach (var f in Directory.GetFiles(folder).Where(f => BackupNames.Parse(Path.GetFileName(f)) is not null))
        {
            if (f.EndsWith(".sql.gz", StringComparison.Ordinal))
                await DatabaseLoad.ValidateAsync(f, default);
            else if (f.EndsWith(".tgz", StringComparison.Ordinal))
                await FileArchive.ReadAsync(f, "public", null, default);
        }

        // The next backup works and is complete.
        var again = await BenchCli.RunAsync(b.Root, "--site", site.Name, "backup", "--with-files", "--compress");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Single(Directory.GetFiles(folder, "*-private-files.tgz"));
    }

    [Fact]
    public async Task OldBackupsGoAfterKeepBackupsForHours()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        var folder = Path.Combine(site.Path, "private", "backups");
        var slug = site.Name.Replace('.', '_');
        var old = DateTime.Now.AddHours(-30).ToString("yyyyMMdd_HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var recent = DateTime.Now.AddHours(-2).ToString("yyyyMMdd_HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var oldFile = Path.Combine(folder, $"{old}-{slug}-database.sql.gz");
        var recentFile = Path.Combine(folder, $"{recent}-{slug}-database.sql.gz");
        var otherSite = Path.Combine(folder, $"{old}-other_site-database.sql.gz");
        var unrelated = Path.Combine(folder, "notes.txt");
        foreach (var f in new[] { oldFile, recentFile, otherSite, unrelated })
            await File.WriteAllTextAsync(f, "x");

        var r = await BenchCli.RunAsync(b.Root, "--site", site.Name, "backup");
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.False(File.Exists(oldFile));
        Assert.True(File.Exists(recentFile));
        Assert.True(File.Exists(otherSite));
        Assert.True(File.Exists(unrelated));

        ConfigFile.Update(Path.Combine(site.Path, Bench.SiteConfigFile), c => c["keep_backups_for_hours"] = 1);
        r = await BenchCli.RunAsync(b.Root, "--site", site.Name, "backup");
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.False(File.Exists(recentFile));
        Assert.NotEmpty(Directory.GetFiles(folder, $"*-{slug}-database.sql.gz"));
    }

    [Fact]
    public async Task ScheduledBackupTakesOneADayAndNewSitesHaveItsJob()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        await using (var db = await site.OpenDatabaseAsync())
        {
            var jobs = await SharpBench.Scheduling.ScheduledJobType.LoadAllAsync(db);
            Assert.Contains(jobs, j => j.Method == ScheduledBackup.Method && j.Frequency == "Hourly Long");
        }
        var now = DateTime.Now;
        var first = await ScheduledBackup.RunAsync(site, now);
        Assert.NotNull(first);
        Assert.NotNull(first.PublicFiles);
        Assert.Null(await ScheduledBackup.RunAsync(site, now.AddHours(1)));
        Assert.NotNull(await ScheduledBackup.RunAsync(site, now.AddHours(24)));

        ConfigFile.Update(Path.Combine(site.Path, Bench.SiteConfigFile), c => c["backup_interval_hours"] = 0);
        Assert.Null(await ScheduledBackup.RunAsync(BenchHost.Sites(b.Bench).Find(site.Name)!, now.AddDays(30)));
    }
}
