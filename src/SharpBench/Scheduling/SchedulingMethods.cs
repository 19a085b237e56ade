using System.Globalization;
using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Data;

namespace SharpBench.Scheduling;

/// <summary>
/// The scheduler's methods under Frappe's dotted names: the job the scheduler enqueues, the HTTP
/// status check, and the core app's periodic clean-up work.
/// </summary>
public static class SchedulingMethods
{
    public const string GetSchedulerStatus = "frappe.utils.scheduler.get_scheduler_status";
    public const string ClearExpiredSessions = "frappe.sessions.clear_expired_sessions";
    public const string RunLogCleanUp = "frappe.core.doctype.log_settings.log_settings.run_log_clean_up";

    /// <summary>Days a Scheduled Job Log row is kept (Frappe's Log Settings default).</summary>
    public const int ScheduledJobLogDays = 90;

    /// <summary>Days an Error Log row is kept (Frappe's Log Settings default).</summary>
    public const int ErrorLogDays = 30;

    /// <summary>The core app's scheduler events (a subset of Frappe's hooks: the site housekeeping).</summary>
    public static SchedulerEvents CoreEvents { get; } = new()
    {
        ["daily"] = [ClearExpiredSessions, RunLogCleanUp],
        ["hourly_long"] = [Backups.ScheduledBackup.Method],
    };

    /// <summary>Called by the core app when a host loads it (<c>FrappeApp.OnLoad</c>).</summary>
    internal static void Register(MethodRegistry methods)
    {
        var clock = TimeProvider.System;
        methods.Register(ScheduledJobRunner.RunMethod, async (ctx, kwargs, ct) =>
        {
            var jobType = kwargs["scheduled_job_type"]?.GetValue<string>() ?? kwargs["job_type"]?.GetValue<string>()
                ?? throw new ValidationError("run_scheduled_job needs job_type");
            await new ScheduledJobRunner(clock).RunAsync(ctx, jobType, ct);
            return null;
        });
        methods.Register(GetSchedulerStatus, async (ctx, _, ct) =>
        {
            var active = SchedulerState.InactiveByConfig(ctx.Site.Config) is null
                && await SystemSettings.SchedulerEnabledAsync(await ctx.DbAsync(ct), ct);
            return new JsonObject { ["status"] = active ? "active" : "inactive" };
        }, new WhitelistAttribute(GetSchedulerStatus));
        methods.Register(ClearExpiredSessions, async (ctx, _, ct) =>
        {
            await ClearExpiredSessionsAsync(await ctx.DbAsync(ct), clock, ct);
            return null;
        });
        methods.Register(RunLogCleanUp, async (ctx, _, ct) =>
        {
            await CleanUpLogsAsync(await ctx.DbAsync(ct), clock, ct);
            return null;
        });
    }

    /// <summary>
    /// Deletes sessions idle longer than System Settings <c>session_expiry</c> ("HH:MM", default
    /// 240:00, Frappe's), so the sessions table does not grow forever.
    /// </summary>
    public static async Task<int> ClearExpiredSessionsAsync(Database db, TimeProvider clock, CancellationToken ct = default)
    {
        var expiry = ParseExpiry(await SystemSettings.GetAsync(db, "session_expiry", ct));
        var zone = await SystemSettings.TimeZoneAsync(db, ct);
        var cutoff = DueTime.ToLocal(clock.GetUtcNow() - expiry, zone);
        var d = db.Dialect;
        return await db.ExecuteAsync($"DELETE FROM {d.Quote("tabSessions")} WHERE {d.Quote("lastupdate")} < @p0", [cutoff], ct);
    }

    public static TimeSpan ParseExpiry(string? value)
    {
        var fallback = TimeSpan.FromHours(240);
        if (string.IsNullOrWhiteSpace(value))
            return fallback;
        var parts = value.Split(':');
        return parts.Length is 2 or 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            && h * 60 + m > 0
            ? TimeSpan.FromMinutes(h * 60 + m)
            : fallback;
    }

    /// <summary>Removes Scheduled Job Logs and Error Logs past their retention.</summary>
    public static async Task<int> CleanUpLogsAsync(Database db, TimeProvider clock, CancellationToken ct = default)
    {
        var zone = await SystemSettings.TimeZoneAsync(db, ct);
        var now = clock.GetUtcNow();
        var d = db.Dialect;
        var removed = await db.ExecuteAsync(
            $"DELETE FROM {d.Quote(ScheduledJobType.LogTable)} WHERE {d.Quote("creation")} < @p0",
            [DueTime.ToLocal(now - TimeSpan.FromDays(ScheduledJobLogDays), zone)], ct);
        if ((await d.ColumnsAsync(db, "tabError Log", ct)).Count > 0)
        {
            removed += await db.ExecuteAsync(
                $"DELETE FROM {d.Quote("tabError Log")} WHERE {d.Quote("creation")} < @p0",
                [DueTime.ToLocal(now - TimeSpan.FromDays(ErrorLogDays), zone)], ct);
        }
        return removed;
    }
}
