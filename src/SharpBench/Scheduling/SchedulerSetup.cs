using SharpBench.Apps;
using SharpBench.Data;

namespace SharpBench.Scheduling;

/// <summary>The scheduler's part of new-site and migrate: the Scheduled Job Type sync, reported line by line.</summary>
public static class SchedulerSetup
{
    /// <summary>Syncs the apps' scheduler events into the site; returns the errors (each names the app and the bad declaration).</summary>
    public static async Task<IReadOnlyList<string>> SyncJobsAsync(Database db, IReadOnlyList<App> apps, Action<string> progress, TimeProvider? clock = null, CancellationToken ct = default)
    {
        progress("Syncing scheduled jobs");
        var zone = await SystemSettings.TimeZoneAsync(db, ct);
        var now = DueTime.ToLocal((clock ?? TimeProvider.System).GetUtcNow(), zone);
        var result = await ScheduledJobSync.SyncAsync(db, apps, now, ct);
        if (result.Added.Count > 0 || result.Removed.Count > 0)
            progress($"Scheduled jobs: {result.Added.Count} added, {result.Removed.Count} removed, {result.Kept.Count} kept");
        return result.Errors;
    }
}
