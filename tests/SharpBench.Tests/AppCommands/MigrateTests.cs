using System.Text;
using SharpBench.Data;
using SharpBench.Install;
using SharpBench.Sites;
using SharpBench.Tests.App;
using SharpBench.Tests.Jobs;

namespace SharpBench.Tests.AppCommands;

/// <summary>bench migrate's patches (run once, recorded in Patch Log) and its idempotence.</summary>
[Collection(nameof(MigrateTests))]
public class MigrateTests
{
    /// <summary>The rows migrate may write: a second migrate must leave every one of them as it was.</summary>
    public static async Task<string> SnapshotAsync(Site site)
    {
        await using var db = await site.OpenDatabaseAsync();
        var d = db.Dialect;
        var sb = new StringBuilder();
        foreach (var (table, columns) in new[]
        {
            ("tabDocType", new[] { "name", "modified" }),
            ("tabDocField", ["name", "parent", "fieldname"]),
            ("tabDocPerm", ["name", "parent", "role"]),
            ("tabModule Def", ["name", "app_name", "modified"]),
            ("tabPatch Log", ["name", "patch"]),
            ("tabScheduled Job Type", ["name", "method", "modified", "stopped"]),
            ("tabDefaultValue", ["name", "parent", "defkey", "defvalue", "modified"]),
        })
        {
            var rows = await db.QueryAsync($"SELECT {string.Join(", ", columns.Select(d.Quote))} FROM {d.Quote(table)} ORDER BY {d.Quote("name")}", []);
            sb.Append(table).Append(": ").AppendLine(rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var row in rows)
                sb.AppendLine(string.Join(" | ", columns.Select(c => Convert.ToString(row[c], System.Globalization.CultureInfo.InvariantCulture))));
        }
        return sb.ToString();
    }

    private static async Task<int> PatchLogCountAsync(Site site, string patch)
    {
        await using var db = await site.OpenDatabaseAsync();
        var d = db.Dialect;
        return Convert.ToInt32(await db.ScalarAsync($"SELECT COUNT(*) FROM {d.Quote("tabPatch Log")} WHERE {d.Quote("patch")} = @p0", [patch]), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task MigrateTwiceChangesNothingTheSecondTime()
    {
        await using var jb = new JobBench();
        var site = await jb.CreateSiteAsync(DbKind.MariaDb);
        await SiteMigration.RunAsync(jb.Bench, site, _ => { });
        var first = await SnapshotAsync(site);
        var steps = new List<string>();
        await SiteMigration.RunAsync(jb.Bench, site, steps.Add);
        Assert.Equal(first, await SnapshotAsync(site));
        Assert.DoesNotContain(steps, s => s.StartsWith("Writing DocType", StringComparison.Ordinal) || s.StartsWith("Executing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APatchThatThrowsStopsMigrateUnrecordedAndTheRerunContinuesFromIt()
    {
        await using var jb = new JobBench();
        var site = await jb.CreateSiteAsync();
        // A new site counts its apps' patches as done; forget it, as if the patch came with an update.
        Assert.Equal(1, await PatchLogCountAsync(site, Patches.Flaky));
        await using (var db = await site.OpenDatabaseAsync())
            await db.ExecuteAsync($"DELETE FROM {db.Dialect.Quote("tabPatch Log")}", []);

        Patches.Fail = true;
        try
        {
            var e = await Assert.ThrowsAnyAsync<BenchException>(() => SiteMigration.RunAsync(jb.Bench, site, _ => { }));
            Assert.Contains($"Patch '{Patches.Flaky}' of {TestApp.AppName} failed: the flaky patch was told to fail", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Patches.Fail = false;
        }
        Assert.Equal(0, await PatchLogCountAsync(site, Patches.Flaky));
        Assert.False(MaintenanceMode.IsOn(jb.Bench.SiteConfig(site.Name)), "migrate leaves maintenance mode even when a patch fails");

        var runs = Patches.Runs;
        await SiteMigration.RunAsync(jb.Bench, site, _ => { });
        Assert.Equal(runs + 1, Patches.Runs);
        Assert.Equal(1, await PatchLogCountAsync(site, Patches.Flaky));

        await SiteMigration.RunAsync(jb.Bench, site, _ => { });
        Assert.Equal(runs + 1, Patches.Runs);
        Assert.Equal(1, await PatchLogCountAsync(site, Patches.Flaky));
    }

    [Theory]
    [InlineData(DbKind.MariaDb)]
    [InlineData(DbKind.Sqlite)]
    public async Task ATableAPreModelSyncPatchDropsIsMadeAgainByTheModelSync(DbKind kind)
    {
        await using var jb = new JobBench();
        var site = await jb.CreateSiteAsync(kind);
        // As if the patch came with an update: forget it, so the next migrate runs it.
        await using (var db = await site.OpenDatabaseAsync())
            await db.ExecuteAsync($"DELETE FROM {db.Dialect.Quote("tabPatch Log")} WHERE {db.Dialect.Quote("patch")} = @p0", [Patches.DropTable]);

        // The table list migrate read before the patches ran still has tabToDo: the model sync
        // must see the catalogue as the patch left it, or it takes the ToDo table for present.
        Patches.TableToDrop = "tabToDo";
        try
        {
            await SiteMigration.RunAsync(jb.Bench, site, _ => { });
        }
        finally
        {
            Patches.TableToDrop = null;
        }
        Assert.Equal(1, await PatchLogCountAsync(site, Patches.DropTable));

        await using var ctx = new FrappeContext(site, "Administrator");
        var doc = await SharpBench.Model.Documents.NewAsync(ctx, "ToDo", new System.Text.Json.Nodes.JsonObject { ["description"] = "after the patch", ["priority"] = "High" });
        await doc.InsertAsync(ctx);
        await ctx.CommitAsync();
        var saved = await SharpBench.Model.Documents.GetAsync(ctx, "ToDo", doc.Name!);
        Assert.Equal("after the patch", saved.GetString("description"));
        Assert.Equal("High", saved.GetString("priority"));
    }
}
