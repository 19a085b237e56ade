using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench.Scheduling;

/// <summary>
/// Whether the scheduler runs a site's jobs (Frappe's <c>is_scheduler_inactive</c>), and the
/// switches behind it: <c>maintenance_mode</c>, <c>pause_scheduler</c> and <c>disable_scheduler</c>
/// in the site or common config, and System Settings <c>enable_scheduler</c>.
/// </summary>
public static class SchedulerState
{
    /// <summary>The config switch that stops the site, or null when config lets it run.</summary>
    public static string? InactiveByConfig(SiteConfig config) =>
        config.GetBool("maintenance_mode") ? "maintenance_mode is on"
        : config.GetBool("pause_scheduler") ? "pause_scheduler is set"
        : config.GetBool("disable_scheduler") ? "disable_scheduler is set"
        : null;

    /// <summary>Why the site's scheduler is inactive, or null when it is active.</summary>
    public static async Task<string?> InactiveReasonAsync(SiteConfig config, Database db, CancellationToken ct = default) =>
        InactiveByConfig(config) ?? (await SystemSettings.SchedulerEnabledAsync(db, ct) ? null : "the scheduler is disabled in System Settings");

    public static async Task<bool> IsActiveAsync(Site site, CancellationToken ct = default)
    {
        if (InactiveByConfig(site.Config) is not null)
            return false;
        await using var db = await site.OpenDatabaseAsync(ct);
        return await SystemSettings.SchedulerEnabledAsync(db, ct);
    }

    /// <summary><c>enable-scheduler</c> / <c>disable-scheduler</c>: System Settings <c>enable_scheduler</c>.</summary>
    public static async Task SetEnabledAsync(Database db, bool enabled, CancellationToken ct = default)
    {
        await db.BeginAsync(ct);
        await SystemSettings.SetAsync(db, "enable_scheduler", enabled ? "1" : "0", ct);
        await db.CommitAsync(ct);
    }

    /// <summary><c>scheduler pause</c> / <c>resume</c>: <c>pause_scheduler</c> in the site's own config.</summary>
    public static void SetPaused(Bench bench, string site, bool paused) =>
        ConfigFile.Update(Path.Combine(bench.SitePath(site), Bench.SiteConfigFile), c =>
        {
            if (paused)
                c["pause_scheduler"] = 1;
            else
                c["pause_scheduler"] = 0;
        });

    public static JsonObject StatusJson(string site, bool active) => new() { ["status"] = active ? "enabled" : "disabled", ["site"] = site };
}
