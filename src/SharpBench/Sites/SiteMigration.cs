using SharpBench.Apps;
using SharpBench.Scheduling;

namespace SharpBench.Sites;

/// <summary>
/// <c>bench migrate</c> for one site: schema sync and Scheduled Job Type sync, run inside
/// maintenance mode so requests and jobs never see a half-migrated site, which it leaves again
/// even when the migration fails.
/// </summary>
public static class SiteMigration
{
    /// <summary>Migrates the site; returns the scheduler-sync errors (which do not stop it).</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(Bench bench, Site site, Action<string> progress, CancellationToken ct = default)
    {
        using var maintenance = MaintenanceMode.Enter(bench, site.Name);
        await using var db = await site.OpenDatabaseAsync(ct);
        var apps = site.Host.Apps.ForBench(bench);
        await SiteInstaller.MigrateSchemaAsync(db, apps, progress, ct);
        return await SchedulerSetup.SyncJobsAsync(db, apps, progress, ct: ct);
    }
}
