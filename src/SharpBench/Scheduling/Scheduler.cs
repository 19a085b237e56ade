using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench.Scheduling;

/// <summary>What one tick did, for logs and tests.</summary>
public sealed class SchedulerTickResult
{
    public List<(string Site, string Job)> Enqueued { get; } = [];
    public List<(string Site, string Job)> AlreadyQueued { get; } = [];
    public List<(string Site, string Reason)> Inactive { get; } = [];
    public List<(string Site, string Error)> Failed { get; } = [];
}

/// <summary>
/// One scheduler tick (Frappe's <c>enqueue_events_for_all_sites</c>): visits every site in random
/// order, skips inactive ones, and queues each due Scheduled Job Type under its per-site job id.
/// A site that fails (database down, bad config) is logged by name and the others still run.
/// </summary>
/// <param name="host">The role's host: its sites carry it (the apps whose events are scheduled).</param>
public sealed class Scheduler(Bench bench, HostState host, IScheduledJobSink queue, TimeProvider clock, ILogger logger)
{
    private readonly SiteRegistry _sites = new(bench, host);

    /// <summary>Checked before each site, so a scheduler that lost the leadership mid-tick stops.</summary>
    public Func<bool> MayRun { get; init; } = () => true;

    public async Task<SchedulerTickResult> TickAsync(CancellationToken ct = default)
    {
        var result = new SchedulerTickResult();
        var names = bench.Sites.ToArray();
        Random.Shared.Shuffle(names);
        foreach (var name in names)
        {
            if (!MayRun())
                break;
            try
            {
                await ScheduleSiteAsync(name, result, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                SchedulerLog.SiteFailed(logger, name, e.Message);
                result.Failed.Add((name, e.Message));
            }
        }
        return result;
    }

    private async Task ScheduleSiteAsync(string name, SchedulerTickResult result, CancellationToken ct)
    {
        var site = _sites.Find(name);
        if (site is null)
            return;
        if (SchedulerState.InactiveByConfig(site.Config) is { } configReason)
        {
            result.Inactive.Add((name, configReason));
            return;
        }
        List<ScheduledJobType> jobs;
        TimeZoneInfo zone;
        await using (var db = await site.OpenDatabaseAsync(ct))
        {
            if (!await SystemSettings.SchedulerEnabledAsync(db, ct))
            {
                result.Inactive.Add((name, "the scheduler is disabled in System Settings"));
                return;
            }
            zone = await SystemSettings.TimeZoneAsync(db, ct);
            jobs = await ScheduledJobType.LoadAllAsync(db, ct);
        }
        var interval = SchedulerSettings.Interval(site.Config);
        var now = clock.GetUtcNow();
        foreach (var job in jobs.Where(j => !j.Stopped))
        {
            DateTimeOffset next;
            try
            {
                next = job.NextExecution(zone, interval, name);
            }
            catch (FormatException e)
            {
                SchedulerLog.BadJob(logger, name, job.Name, e.Message);
                continue;
            }
            if (next > now)
                continue;
            var kwargs = new JsonObject { ["job_type"] = job.Method, ["scheduled_job_type"] = job.Name };
            if (await queue.EnqueueAsync(site, job.Queue, job.JobId, ScheduledJobRunner.RunMethod, kwargs, ct))
            {
                SchedulerLog.Queued(logger, name, job.Name, job.Queue);
                result.Enqueued.Add((name, job.Name));
            }
            else
            {
                SchedulerLog.AlreadyQueued(logger, name, job.Name);
                result.AlreadyQueued.Add((name, job.Name));
            }
        }
    }
}
