using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Data;

namespace SharpBench.Scheduling;

/// <summary>
/// Runs one Scheduled Job Type inside a job (or inline for trigger-scheduler-event), as
/// Administrator: a Scheduled Job Log row goes Start → Complete or Failed (with the stack), and
/// <c>last_execution</c> moves on. Unlike Frappe, a failure is not swallowed: it is logged, an
/// Error Log is written, and the exception goes on to the caller so the job shows as failed.
/// </summary>
public sealed class ScheduledJobRunner(TimeProvider clock)
{
    /// <summary>The job method the scheduler enqueues, under Frappe's dotted name.</summary>
    public const string RunMethod = "frappe.core.doctype.scheduled_job_type.scheduled_job_type.run_scheduled_job";

    public async Task RunAsync(FrappeContext ctx, string jobType, CancellationToken ct = default)
    {
        ctx.User = "Administrator";
        var db = await ctx.DbAsync(ct);
        var job = await ScheduledJobType.FindAsync(db, jobType, ct)
            ?? throw new DoesNotExistError($"Scheduled Job Type {jobType} not found");
        var zone = await SystemSettings.TimeZoneAsync(db, ct);
        var logName = await LogStatusAsync(ctx, job, null, "Start", null, zone, ct);
        try
        {
            var method = ctx.Site.Host.Methods.Find(job.Method)
                ?? throw new DoesNotExistError($"Method {job.Method} is not registered by any app");
            await method.Invoke(ctx, new JsonObject(), ct);
            await ctx.CommitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await ctx.RollbackAsync(CancellationToken.None);
            ctx.User = "Administrator";
            await LogStatusAsync(ctx, job, logName, "Failed", e.ToString(), zone, CancellationToken.None);
            // Inside a job the worker writes the Error Log for the exception that goes on; run
            // inline (trigger-scheduler-event) nobody else would.
            if (!ctx.Items.ContainsKey("job"))
                await Jobs.ErrorLog.WriteAsync(ctx.Site, "Administrator", job.Method, $"Scheduled Job {job.Name} ({job.Method}) failed\n\n{e}", ct: CancellationToken.None);
            throw new ScheduledJobFailedException(job.Method, e);
        }
        await LogStatusAsync(ctx, job, logName, "Complete", null, zone, ct);
    }

    /// <summary>Writes one status; committed at once so a crash mid-run still leaves "Start" behind.</summary>
    private async Task<string?> LogStatusAsync(FrappeContext ctx, ScheduledJobType job, string? logName, string status, string? details, TimeZoneInfo zone, CancellationToken ct)
    {
        var db = await ctx.DbAsync(ct);
        var d = db.Dialect;
        var now = DueTime.ToLocal(clock.GetUtcNow(), zone);
        if (!job.WritesLog)
        {
            await SetLastExecutionAsync(db, job.Name, now, ct);
            await ctx.CommitAsync(ct);
            return null;
        }
        if (logName is null)
        {
            logName = NewName();
            await Rows.InsertAsync(db, ScheduledJobType.LogTable, Rows.BySystem(logName, now, new()
            {
                ["scheduled_job_type"] = job.Name,
                ["status"] = status,
            }), ct);
        }
        else
        {
            await db.ExecuteAsync(
                $"UPDATE {d.Quote(ScheduledJobType.LogTable)} SET {d.Quote("status")} = @p0, {d.Quote("details")} = @p1, {d.Quote("modified")} = @p2 WHERE {d.Quote("name")} = @p3",
                [status, details, now, logName], ct);
        }
        if (status == "Start")
            await SetLastExecutionAsync(db, job.Name, now, ct);
        await ctx.CommitAsync(ct);
        return logName;
    }

    private static Task<int> SetLastExecutionAsync(Database db, string name, DateTime now, CancellationToken ct)
    {
        var d = db.Dialect;
        return db.ExecuteAsync($"UPDATE {d.Quote(ScheduledJobType.Table)} SET {d.Quote("last_execution")} = @p0 WHERE {d.Quote("name")} = @p1", [now, name], ct);
    }

    /// <summary>Frappe's hash names: 10 lower-case hex characters.</summary>
    internal static string NewName() => Guid.NewGuid().ToString("N")[..10];
}

/// <summary>A scheduled job's method threw; the Scheduled Job Log and an Error Log already hold the details.</summary>
public sealed class ScheduledJobFailedException(string method, Exception inner)
    : Exception($"Scheduled job {method} failed: {inner.Message}", inner)
{
    public string Method { get; } = method;
}
