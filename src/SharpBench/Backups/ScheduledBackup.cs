using SharpBench.Apps;
using SharpBench.Sites;

namespace SharpBench.Backups;

/// <summary>
/// The core app's scheduled backup, so a bench needs no cron side-car: an hourly (long queue)
/// job that takes a backup when the newest one of the site is older than
/// <c>backup_interval_hours</c> (default 24: daily; 0 turns it off), with files unless
/// <c>backup_with_files</c> is 0. Runs only while the site's scheduler runs, like every job.
/// </summary>
public static class ScheduledBackup
{
    public const string Method = "frappe.utils.backups.scheduled_backup";

    /// <summary>Called by the core app when a host loads it (<c>FrappeApp.OnLoad</c>).</summary>
    public static void Register(MethodRegistry methods) =>
        methods.Register(Method, async (ctx, _, ct) =>
        {
            var taken = await RunAsync(ctx.Site, SharpBench.Model.SiteTime.Server.Now(), ct);
            return taken?.Database;
        });

    /// <summary>Takes a backup if one is due; returns it, or null when none was due.</summary>
    public static async Task<BackupSet?> RunAsync(Site site, DateTime now, CancellationToken ct = default)
    {
        var hours = site.Config.GetInt("backup_interval_hours") ?? 24;
        if (hours <= 0)
            return null;
        var folder = SiteBackup.BackupFolder(site, null);
        var slug = BackupNames.Slug(site.Name);
        var newest = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder)
                .Select(f => BackupNames.Parse(Path.GetFileName(f)))
                .Where(p => p is { } x && x.Slug == slug)
                .Select(p => p!.Value.Taken)
                .DefaultIfEmpty(DateTime.MinValue)
                .Max()
            : DateTime.MinValue;
        // A few minutes' slack: an hourly job that runs a little early still takes the daily backup.
        if (now - newest < TimeSpan.FromHours(hours) - TimeSpan.FromMinutes(10))
            return null;
        var bench = new Bench(site.BenchRoot);
        var withFiles = site.Config.Values["backup_with_files"] is null || site.Config.GetBool("backup_with_files");
        return await new SiteBackup(bench, _ => { }).TakeAsync(site, new BackupOptions { WithFiles = withFiles }, ct);
    }
}
