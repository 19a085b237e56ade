using System.Globalization;
using SharpBench.Data;
using SharpBench.Install;
using SharpBench.Sites;
using SharpBench.Tests.Jobs;

namespace SharpBench.Tests.Data;

/// <summary>
/// bench migrate leaves the optimizer's statistics in place, so a list filtered on an unindexed
/// field and sorted by <c>creation</c> walks the creation index instead of scanning and sorting
/// the table (docs/benchmarks.md, "Database path").
/// </summary>
public class TableStatisticsTests
{
    private static async Task<Site> SiteWithToDosAsync(JobBench jb, DbKind kind, int rows)
    {
        var site = await jb.CreateSiteAsync(kind);
        await using var db = await site.OpenDatabaseAsync();
        await db.BeginAsync();
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        for (var i = 0; i < rows; i++)
        {
            await Rows.InsertAsync(db, "tabToDo", new Dictionary<string, object?>
            {
                ["name"] = "TD-" + i.ToString("D4", CultureInfo.InvariantCulture),
                ["description"] = "row " + i.ToString(CultureInfo.InvariantCulture),
                ["status"] = i % 2 == 0 ? "Open" : "Closed",
                ["priority"] = "Medium",
                ["owner"] = "Administrator",
                ["creation"] = start.AddMinutes(i),
                ["modified"] = start.AddMinutes(i),
            });
        }
        await db.CommitAsync();
        return site;
    }

    [Fact]
    public async Task AfterMigrateMariaDbWalksTheCreationIndexForAFilteredList()
    {
        await using var jb = new JobBench();
        var site = await SiteWithToDosAsync(jb, DbKind.MariaDb, 400);
        // The shape our list sends for filters=[["status","=","Open"]], order_by=creation desc.
        const string explain = "EXPLAIN SELECT `tabToDo`.`name` FROM `tabToDo` WHERE `tabToDo`.`status` = 'Open' ORDER BY `tabToDo`.`creation` DESC LIMIT 20";

        await SiteMigration.RunAsync(jb.Bench, site, _ => { });

        await using var db = await site.OpenDatabaseAsync();
        var plan = (await db.QueryAsync(explain, []))[0];
        Assert.Equal("creation", plan["key"] as string);
        Assert.DoesNotContain("filesort", plan["Extra"] as string ?? "", StringComparison.Ordinal);
        // A second migrate refreshes them and changes nothing else.
        await SiteMigration.RunAsync(jb.Bench, site, _ => { });
        Assert.Equal("creation", (await db.QueryAsync(explain, []))[0]["key"] as string);
    }

    [Fact]
    public async Task AfterMigratePostgresHasAnalyzedTheTables()
    {
        await using var jb = new JobBench();
        var site = await SiteWithToDosAsync(jb, DbKind.Postgres, 150);

        await SiteMigration.RunAsync(jb.Bench, site, _ => { });

        await using var db = await site.OpenDatabaseAsync();
        var analyzed = await db.ScalarAsync("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'tabToDo'", []);
        Assert.NotNull(analyzed);
        // The planner now knows the table's size instead of guessing from its pages.
        var reltuples = Convert.ToDouble(await db.ScalarAsync("SELECT reltuples FROM pg_class WHERE relname = 'tabToDo'", []), CultureInfo.InvariantCulture);
        Assert.Equal(150, reltuples);
    }
}
