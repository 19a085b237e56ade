using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.CoreApp;
using SharpBench.Realtime;
using SharpBench.Scheduling;
using SharpBench.Sites;

namespace SharpBench.Install;

/// <summary>
/// <c>bench migrate</c> for one site, in Frappe's order: patches before the model sync, DocType
/// schema sync of every installed app, patches after it, Scheduled Job Type sync, the apps'
/// <c>after_migrate</c> hooks, then <c>version-update</c> over realtime so open desks reload. It
/// runs inside maintenance mode so requests and jobs never see a half-migrated site, which it
/// leaves again even when the migration fails. A patch that throws stops it (nothing after runs).
/// Then it gathers the optimizer's statistics of the site's tables (<see cref="Data.TableStatistics"/>).
/// </summary>
public static class SiteMigration
{
    /// <summary>Migrates the site; returns the scheduler-sync errors (which do not stop it).</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(Bench bench, Site site, Action<string> progress, CancellationToken ct = default)
    {
        using var maintenance = MaintenanceMode.Enter(bench, site.Name);
        await using var db = await site.OpenDatabaseAsync(ct);
        var tables = await Data.SystemTables.EnsureTablesAsync(db, ct);
        var recorded = await InstalledApps.ReadAsync(db, ct);
        var apps = InstalledApps.Resolve(site.Host.Apps, bench, recorded);
        if (recorded is null)
        {
            // A site from before install-app: it had every app of the bench; say so from now on.
            await db.BeginAsync(ct);
            await InstalledApps.WriteAsync(db, apps.Select(a => a.Name), ct);
            await db.CommitAsync(ct);
        }
        // Patch Log is a core DocType: a site older than it gets its table before any patch runs.
        await SiteInstaller.MigrateSchemaAsync(db, [FrappeApp.Instance], tables, progress, ct);
        // A patch may create or drop tables: then the second pass reads the catalogue again.
        if (await PatchRunner.RunAsync(site, apps, postModelSync: false, progress, ct) > 0)
            tables = await Data.SystemTables.EnsureTablesAsync(db, ct);
        await SiteInstaller.MigrateSchemaAsync(db, apps, tables, progress, ct);
        await PatchRunner.RunAsync(site, apps, postModelSync: true, progress, ct);
        var errors = await SchedulerSetup.SyncJobsAsync(db, apps, progress, ct: ct);
        Model.Meta.Invalidate(site);
        await using (var context = new FrappeContext(site, "Administrator"))
        {
            foreach (var app in apps)
            {
                progress($"Running after_migrate of {app.Name}");
                await app.AfterMigrateAsync(context, ct);
            }
            await RealtimePublisher.PublishAsync(context, "version-update", new JsonObject(), room: "all", afterCommit: true);
            await context.CommitAsync(ct);
        }
        // Last, so the statistics see what the patches and hooks wrote.
        await Data.TableStatistics.GatherAsync(db, progress, ct);
        return errors;
    }
}
