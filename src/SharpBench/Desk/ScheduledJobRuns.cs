using System.Globalization;
using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Auth;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Scheduling;

namespace SharpBench.Desk;

/// <summary>
/// The desk's Scheduled Job Type page: each job's last run and its next due time. Next
/// Execution is a virtual field (Frappe computes it in the controller, so no list query can
/// select it); this answers it with the scheduler's own due-time rule, in the site's time zone.
/// </summary>
public static class ScheduledJobRuns
{
    public const string Method = "sharpbench.desk.scheduled_job_runs";

    [Whitelist(Method)]
    public static async Task<JsonArray> Runs(FrappeContext ctx, string? name = null, CancellationToken ct = default)
    {
        var meta = await Meta.GetAsync(ctx, ScheduledJobType.DocType, ct);
        if (!await Permissions.HasAsync(ctx, meta, "read", ct: ct))
            throw new PermissionError($"No permission for {ScheduledJobType.DocType}");
        var db = await ctx.DbAsync(ct);
        var zone = await SystemSettings.TimeZoneAsync(db, ct);
        var interval = SchedulerSettings.Interval(ctx.Site.Config);
        var answer = new JsonArray();
        foreach (var job in await ScheduledJobType.LoadAllAsync(db, ct))
        {
            if (name is not null && job.Name != name)
                continue;
            string? next;
            try
            {
                next = job.Stopped ? null : Format(TimeZoneInfo.ConvertTime(job.NextExecution(zone, interval, ctx.Site.Name), zone).DateTime);
            }
            catch (FormatException)
            {
                next = null;   // a broken cron expression: the scheduler skips it too
            }
            answer.Add(new JsonObject
            {
                ["name"] = job.Name,
                ["last_execution"] = job.LastExecution is { } last ? Format(last) : null,
                ["next_execution"] = next,
            });
        }
        return answer;
    }

    private static string Format(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
