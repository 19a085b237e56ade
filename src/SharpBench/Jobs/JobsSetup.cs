using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Model;

namespace SharpBench.Jobs;

/// <summary>Registers what the jobs capability exposes: the RQ virtual DocTypes and their whitelisted actions.</summary>
public static class JobsSetup
{
    public const string StopJobMethod = "frappe.core.doctype.rq_job.rq_job.stop_job";
    public const string RemoveFailedMethod = "frappe.core.doctype.rq_job.rq_job.remove_failed_jobs";

    /// <summary>Ours (Frappe has no retry): runs a failed or canceled job again; returns the new job's name.</summary>
    internal const string RetryJobMethod = "sharpbench.jobs.retry_job";

    /// <summary>Called by the core app when a host loads it (<see cref="FrappeApp.OnLoad"/>).</summary>
    public static void Register(HostState host)
    {
        host.VirtualDocTypes.Register(new RqJobDocType());
        host.VirtualDocTypes.Register(new RqWorkerDocType());
        host.Methods.Register(StopJobMethod, StopJob, new WhitelistAttribute(StopJobMethod) { Methods = ["POST"] });
        host.Methods.Register(DocumentMethods.RunDocMethod, DocumentMethods.RunAsync);
        host.Methods.Register(RemoveFailedMethod, RemoveFailed, new WhitelistAttribute(RemoveFailedMethod) { Methods = ["POST"] });
        host.Methods.Register(RetryJobMethod, RetryJob, new WhitelistAttribute(RetryJobMethod) { Methods = ["POST"] });
    }

    private static async Task<object?> StopJob(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var id = (kwargs["job_id"] ?? kwargs["name"])?.ToString();
        if (string.IsNullOrEmpty(id))
            throw new ValidationError("job_id is required");
        return await RqJobDocType.StopAsync(context, id, ct);
    }

    private static async Task<object?> RetryJob(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var id = (kwargs["job_id"] ?? kwargs["name"])?.ToString();
        if (string.IsNullOrEmpty(id))
            throw new ValidationError("job_id is required");
        return await RqJobDocType.RetryAsync(context, id, ct);
    }

    private static async Task<object?> RemoveFailed(FrappeContext context, JsonObject kwargs, CancellationToken ct) =>
        await RqJobDocType.RemoveFailedAsync(context, ct);
}
