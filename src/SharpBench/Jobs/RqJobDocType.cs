using System.Text.Json.Nodes;
using SharpBench.Model;

namespace SharpBench.Jobs;

/// <summary>
/// The RQ Job virtual DocType: the site's background jobs (ids starting <c>{site}::</c>), listed
/// newest first with equality filters on their fields (status, queue, job_name, …).
/// </summary>
public sealed class RqJobDocType : IVirtualDocType
{
    public const string Name = "RQ Job";

    private static readonly HashSet<string> FilterFields = ["name", "job_id", "job_name", "queue", "status", "method", "user", "worker_name"];

    public string DocType => Name;

    public IReadOnlyList<string> Roles => [JobPermissions.Role];

    private static IJobRecords Backend(FrappeContext context) => JobBackends.Of(context).For(QueueSettings.For(context.Site));

    public async Task<IReadOnlyList<JsonObject>> GetListAsync(FrappeContext context, VirtualListArgs args, CancellationToken ct)
    {
        foreach (var field in args.Filters.Keys)
        {
            if (!FilterFields.Contains(field))
                throw new ValidationError($"Cannot filter RQ Job by {field}: filters are {string.Join(", ", FilterFields.Order(StringComparer.Ordinal))}.");
        }
        if (args.Filters.TryGetValue("status", out var status) && !JobStatus.All.Contains(status))
            throw new ValidationError($"Status should be one of {string.Join(", ", JobStatus.All)}.");
        var jobs = await Backend(context).ListAsync(context.Site.Name, ct);
        return jobs.Select(j => j.ToDocument())
            .Where(doc => args.Filters.All(f => doc[f.Key]?.ToString() == f.Value))
            .Skip(Math.Max(0, args.Start))
            .Take(args.PageLength > 0 ? args.PageLength : int.MaxValue)
            .ToList();
    }

    public async Task<JsonObject?> GetAsync(FrappeContext context, string name, CancellationToken ct)
    {
        // A job of another site is not there, as far as this site can tell.
        if (!BelongsTo(context, name))
            return null;
        return (await Backend(context).GetAsync(name, ct))?.ToDocument();
    }

    public async Task<bool> DeleteAsync(FrappeContext context, string name, CancellationToken ct)
    {
        if (!BelongsTo(context, name))
            return false;
        var backend = Backend(context);
        if (await backend.GetAsync(name, ct) is { Status: JobStatus.Started })
            await backend.StopAsync(name, ct);
        return await backend.DeleteAsync(name, ct);
    }

    private static bool BelongsTo(FrappeContext context, string name) => name.StartsWith(context.Site.Name + "::", StringComparison.Ordinal);

    /// <summary>RQ Job's stop action: cancels a queued job, or asks the running worker to stop it.</summary>
    public static async Task<string> StopAsync(FrappeContext context, string name, CancellationToken ct)
    {
        await JobPermissions.CheckAsync(context, ct);
        if (!BelongsTo(context, name))
            throw new DoesNotExistError($"RQ Job {name} not found");
        return await Backend(context).StopAsync(name, ct) switch
        {
            StopOutcome.NotFound => throw new DoesNotExistError($"RQ Job {name} not found"),
            StopOutcome.NotRunning => throw new ValidationError("Job is not running."),
            StopOutcome.Canceled => JobStatus.Canceled,
            _ => "stopping",
        };
    }

    /// <summary>
    /// Runs a failed or canceled job again, as RQ's <c>requeue</c> does: the same method,
    /// arguments, queue, timeout and user (so it runs with the permissions it was enqueued with),
    /// queued at the back. It gets a new id and the old record goes, so the list shows one job.
    /// Frappe's RQ Job page has no such action; the desk's operators asked for it.
    /// </summary>
    internal static async Task<string> RetryAsync(FrappeContext context, string name, CancellationToken ct)
    {
        await JobPermissions.CheckAsync(context, ct);
        var records = Backend(context);
        var job = (BelongsTo(context, name) ? await records.GetAsync(name, ct) : null)
            ?? throw new DoesNotExistError($"RQ Job {name} not found");
        if (job.Status is not (JobStatus.Failed or JobStatus.Canceled))
            throw new ValidationError($"Only a failed or canceled job can be retried; this one is {job.Status}.");
        if (context.Site.Host.Methods.Find(job.Method) is null)
            throw new ValidationError($"Cannot retry {job.Method}: no such method is registered (is its app in sites/apps.txt and loaded?)");
        var settings = QueueSettings.For(context.Site);
        settings.Validate(job.Queue);
        var queues = await JobBackends.Of(context).ForAsync(settings);
        var retry = new JobRecord
        {
            Id = JobRecord.FullId(context.Site.Name, Guid.NewGuid().ToString()),
            Site = context.Site.Name,
            User = job.User,
            Method = job.Method,
            Queue = job.Queue,
            Timeout = job.Timeout,
            JobName = job.JobName,
            Kwargs = (JsonObject)job.Kwargs.DeepClone(),
            TaskId = job.TaskId,
            OnSuccess = job.OnSuccess,
            OnFailure = job.OnFailure,
        };
        await BoundedEnqueue.RunAsync(() => queues.EnqueueAsync(retry, atFront: false, deduplicate: false, CancellationToken.None), settings.EnqueueTimeout, retry.Id);
        await records.DeleteAsync(name, ct);
        return retry.Id;
    }

    /// <summary>Deletes the site's failed jobs (Frappe's <c>remove_failed_jobs</c>); returns how many.</summary>
    public static async Task<int> RemoveFailedAsync(FrappeContext context, CancellationToken ct)
    {
        await JobPermissions.CheckAsync(context, ct);
        var backend = Backend(context);
        var removed = 0;
        foreach (var job in await backend.ListAsync(context.Site.Name, ct))
        {
            if (job.Status == JobStatus.Failed && await backend.DeleteAsync(job.Id, ct))
                removed++;
        }
        return removed;
    }
}
