using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SharpBench.Apps;
using SharpBench.Sites;

namespace SharpBench.Jobs;

/// <summary>
/// Runs one job as Frappe's <c>execute_job</c> does: a fresh context on the job's site as the
/// job's user, commit on success, rollback on failure. Lock contention (deadlock, lock wait) is
/// retried up to five times with a growing pause, as the same user. A failure keeps the
/// exception with its stack and writes an Error Log in the site; a timeout cancels the job.
/// </summary>
/// <param name="services">The host's services, handed to each job's context (its enqueues and realtime events go through them); null outside a host.</param>
public sealed class JobExecutor(SiteRegistry sites, ILogger logger, IServiceProvider? services = null)
{
    public const int MaxRetries = 5;

    /// <summary>How long an on_success / on_failure callback may run (RQ's CALLBACK_TIMEOUT).</summary>
    public static readonly TimeSpan CallbackTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Pause before retry n (1-based); Frappe sleeps n seconds.</summary>
    public static TimeSpan RetryDelay(int retry) => TimeSpan.FromSeconds(retry);

    /// <summary>How often a job waiting for its site to leave maintenance mode looks again.</summary>
    public static TimeSpan MaintenancePoll => TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a job's completion record is kept (see <see cref="JobCompletions"/>); null records
    /// nothing (the in-process queue, whose jobs die with the process, is never redelivered).
    /// </summary>
    public Func<JobRecord, TimeSpan>? KeepCompletion { get; init; }

    /// <summary>Runs the job and returns it with its final status, result or exception set.</summary>
    /// <param name="stop">Cancelled when someone stops the job (RQ Job "stop").</param>
    public async Task<JobRecord> RunAsync(JobRecord job, CancellationToken stop)
    {
        job.StartedAt ??= JobRecord.Now();
        var site = sites.Find(job.Site);
        var method = site?.Host.Methods.Find(job.Method);
        if (site is null)
            return Fail(job, $"Site {job.Site} does not exist (dropped after the job was queued?)");
        if (method is null)
            return Fail(job, $"Method {job.Method} is not registered in this worker; is its app in sites/apps.txt and under apps/?");

        // Maintenance mode: the job waits, still held by this worker and not acknowledged, until
        // the site leaves it (a migrate or restore is under way); a stopped job ends the wait.
        while (Sites.MaintenanceMode.IsOn(site.Config) && !stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(MaintenancePoll, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            site = sites.Find(job.Site);
            if (site is null)
                return Fail(job, $"Site {job.Site} does not exist (dropped after the job was queued?)");
        }

        var completion = KeepCompletion is null ? null : JobCompletions.KeyOf(job);
        if (completion is not null)
            await JobCompletions.EnsureTableAsync(site, stop);
        // Only a redelivery can find its record: the first run of an entry skips the query.
        if (completion is not null && job.Attempts > 1 && await JobCompletions.IsRecordedAsync(site, completion, stop))
            return AlreadyDone(job);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(job.Timeout));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stop);
        for (var retry = 0; ; retry++)
        {
            var context = new FrappeContext(site, job.User, services);
            context.Items["job"] = job;
            if (job.TaskId is not null)
                context.Items[Realtime.RealtimePublisher.TaskIdItem] = job.TaskId;
            try
            {
                // WaitAsync returns at the timeout even when the method ignores its token; the
                // method then runs on detached, and its context (and transaction) is disposed.
                var result = await method.Invoke(context, (JsonObject)job.Kwargs.DeepClone(), linked.Token).WaitAsync(linked.Token);
                if (completion is not null && context.HasDatabase)
                    await JobCompletions.RecordAsync(context, job, completion, KeepCompletion!(job), linked.Token);
                await context.CommitAsync(linked.Token);
                job.Status = JobStatus.Finished;
                job.Result = SerializeResult(result);
                job.ExcInfo = null;
                break;
            }
            catch (JobAlreadyCompletedException)
            {
                // A concurrent run of the same entry (its worker was presumed dead) committed first.
                await SafeRollbackAsync(context);
                return AlreadyDone(job);
            }
            catch (Exception e) when (linked.IsCancellationRequested)
            {
                await SafeRollbackAsync(context);
                if (timeout.IsCancellationRequested && !stop.IsCancellationRequested)
                {
                    Fail(job, $"JobTimeoutException: Task exceeded maximum timeout value ({job.Timeout} seconds)\n{e}");
                    await WriteErrorLogAsync(site, job);
                }
                else
                {
                    job.Status = JobStatus.Canceled;
                    job.ExcInfo = "Stopped: the job was stopped while it ran.";
                }
                break;
            }
            catch (Exception e)
            {
                await SafeRollbackAsync(context);
                if (retry < MaxRetries && RetryableErrors.IsRetryable(e))
                {
                    JobLog.Retrying(logger, job.Method, job.Id, e.Message, retry + 1, MaxRetries);
                    await context.DisposeAsync();
                    try
                    {
                        await Task.Delay(RetryDelay(retry + 1), linked.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // Loop once more; the cancelled token ends the attempt as a timeout/stop.
                    }
                    continue;
                }
                Fail(job, e.ToString());
                await WriteErrorLogAsync(site, job);
                break;
            }
            finally
            {
                await context.DisposeAsync();
            }
        }
        job.EndedAt = JobRecord.Now();
        if (completion is not null)
            await SweepCompletionsAsync(site);
        if (job.Status == JobStatus.Finished && job.OnSuccess is { } onSuccess)
        {
            var kwargs = new JsonObject { ["job"] = job.ToDocument(), ["result"] = job.Result is null ? null : JsonNode.Parse(job.Result) };
            if (await RunCallbackAsync(site, job, onSuccess, kwargs, stop) is { } error)
            {
                // As RQ: a success callback that throws fails the job (and the failure callback runs).
                Fail(job, $"on_success callback {onSuccess} failed: {error}");
                await WriteErrorLogAsync(site, job);
            }
        }
        if (job.Status == JobStatus.Failed && job.OnFailure is { } onFailure)
        {
            var kwargs = new JsonObject { ["job"] = job.ToDocument(), ["exc_info"] = job.ExcInfo };
            if (await RunCallbackAsync(site, job, onFailure, kwargs, stop) is { } error)
            {
                JobLog.CallbackFailed(logger, onFailure, job.Id, FirstLine(error));
                job.ExcInfo += $"\n\non_failure callback {onFailure} failed too: {error}";
            }
        }
        return job;
    }

    /// <summary>Runs a callback on the job's site as the job's user, committed on success; returns its error, if any.</summary>
    private async Task<string?> RunCallbackAsync(Site site, JobRecord job, string name, JsonObject kwargs, CancellationToken stop)
    {
        var method = site.Host.Methods.Find(name);
        if (method is null)
            return $"{name} is not registered in this worker";
        using var limit = new CancellationTokenSource(CallbackTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, stop);
        await using var context = new FrappeContext(site, job.User, services);
        context.Items["job"] = job;
        if (job.TaskId is not null)
            context.Items[Realtime.RealtimePublisher.TaskIdItem] = job.TaskId;
        try
        {
            await method.Invoke(context, kwargs, linked.Token).WaitAsync(linked.Token);
            await context.CommitAsync(linked.Token);
            return null;
        }
        catch (Exception e)
        {
            await SafeRollbackAsync(context);
            return limit.IsCancellationRequested ? $"the callback exceeded {CallbackTimeout.TotalSeconds} seconds\n{e}" : e.ToString();
        }
    }

    /// <summary>A redelivered entry whose first run committed: acknowledged as finished, not run again (nor its callbacks).</summary>
    private JobRecord AlreadyDone(JobRecord job)
    {
        JobLog.AlreadyCompleted(logger, job.Method, job.Id);
        job.Status = JobStatus.Finished;
        job.ExcInfo = null;
        job.EndedAt = JobRecord.Now();
        return job;
    }

    private async Task SweepCompletionsAsync(Site site)
    {
        try
        {
            await JobCompletions.SweepAsync(site, CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            JobLog.ErrorLogFailed(logger, "(completion records)", site.Name, e.Message);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0];

    private static JobRecord Fail(JobRecord job, string excInfo)
    {
        job.Status = JobStatus.Failed;
        job.ExcInfo = excInfo;
        job.EndedAt = JobRecord.Now();
        return job;
    }

    private static async Task SafeRollbackAsync(FrappeContext context)
    {
        try
        {
            await context.RollbackAsync(CancellationToken.None);
        }
        catch (Exception)
        {
            // The connection may be gone (that may be the failure); disposing it rolls back.
        }
    }

    private async Task WriteErrorLogAsync(Site site, JobRecord job)
    {
        try
        {
            await ErrorLog.WriteAsync(site, job.User, job.Method, $"Job {job.Id} ({job.Method}) failed on queue {job.Queue} as {job.User}\n\n{job.ExcInfo}", job.Id);
        }
        catch (Exception e)
        {
            JobLog.ErrorLogFailed(logger, job.Id, site.Name, e.Message);
        }
    }

    private static string? SerializeResult(object? result)
    {
        if (result is null)
            return null;
        try
        {
            return JsonSerializer.Serialize(result, result.GetType());
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            return JsonSerializer.Serialize(result.ToString());
        }
    }
}
