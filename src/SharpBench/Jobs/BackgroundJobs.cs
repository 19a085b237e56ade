using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Apps;

namespace SharpBench.Jobs;

/// <summary>
/// <c>frappe.enqueue</c> and its helpers. Everything is checked before anything is stored: the
/// queue must exist, the method must be registered and the arguments must be JSON, so a bad
/// call fails at once and queues nothing. The job remembers the context's site and user and
/// runs as that user on that site.
/// </summary>
public static class BackgroundJobs
{
    private static readonly JsonSerializerOptions ArgumentJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = null };

    /// <summary>Enqueues <paramref name="method"/> (a dotted name in <see cref="MethodRegistry"/>) with keyword arguments.</summary>
    /// <param name="kwargs">A <see cref="JsonObject"/>, a dictionary or an object whose properties are the arguments; null for none.</param>
    public static async Task<EnqueueResult> EnqueueAsync(FrappeContext context, string method, object? kwargs = null, EnqueueOptions? options = null, CancellationToken ct = default)
    {
        options ??= new EnqueueOptions();
        var registered = context.Site.Host.Methods.Find(method)
            ?? throw new ValidationError($"Cannot enqueue {method}: no such method is registered (is its app in sites/apps.txt and loaded?)");
        var arguments = ToKwargs(method, kwargs);
        if (options.Now)
            return new EnqueueResult(EnqueueOutcome.RanNow, null, await registered.Invoke(context, arguments, ct));

        var settings = QueueSettings.For(context.Site);
        settings.Validate(options.Queue);
        if (options.Timeout is < 0)
            throw new ValidationError($"Job timeout must be a positive number of seconds, not {options.Timeout}.");
        if (options.Deduplicate && string.IsNullOrEmpty(options.JobId))
            throw new ValidationError("`job_id` is required for deduplication");
        if (options.JobId is { } given && (given.Length > 200 || given.Any(char.IsControl)))
            throw new ValidationError("`job_id` must be at most 200 printable characters.");
        if (options.TaskId is { } task && (task.Length is 0 or > 200 || task.Any(char.IsControl)))
            throw new ValidationError("`task_id` must be 1 to 200 printable characters.");
        CheckCallback(context, method, "on_success", options.OnSuccess);
        CheckCallback(context, method, "on_failure", options.OnFailure);
        var backend = await JobBackends.Of(context).ForAsync(settings);

        var job = new JobRecord
        {
            Id = JobRecord.FullId(context.Site.Name, options.JobId ?? Guid.NewGuid().ToString()),
            Site = context.Site.Name,
            User = context.User,
            Method = method,
            Queue = options.Queue,
            Timeout = options.Timeout is > 0 ? options.Timeout.Value : settings.TimeoutOf(options.Queue),
            JobName = options.JobName ?? method,
            Kwargs = arguments,
            TaskId = options.TaskId,
            OnSuccess = options.OnSuccess,
            OnFailure = options.OnFailure,
        };
        var bound = settings.EnqueueTimeout;
        Task<bool> Send(bool deduplicate) =>
            BoundedEnqueue.RunAsync(() => backend.EnqueueAsync(job, options.AtFront, deduplicate, CancellationToken.None), bound, job.Id);
        if (options.EnqueueAfterCommit)
        {
            context.AfterCommit(() => Send(options.Deduplicate));
            return new EnqueueResult(EnqueueOutcome.AfterCommit, job.Id);
        }
        if (!options.Deduplicate)
        {
            // Without deduplicate the outcome is known (queued), so the reply is checked later:
            // before the context commits at the latest (see PendingEnqueues).
            await PendingEnqueues.For(context).AddAsync(Send(false));
            return new EnqueueResult(EnqueueOutcome.Queued, job.Id);
        }
        return await Send(true)
            ? new EnqueueResult(EnqueueOutcome.Queued, job.Id)
            : new EnqueueResult(EnqueueOutcome.Deduplicated, null);
    }

    private static void CheckCallback(FrappeContext context, string method, string what, string? callback)
    {
        if (callback is not null && context.Site.Host.Methods.Find(callback) is null)
            throw new ValidationError($"Cannot enqueue {method}: its {what} callback {callback} is not a registered method.");
    }

    /// <summary>
    /// Frappe's <c>enqueue_doc</c>: runs a document method (see <see cref="DocumentMethods"/>) on
    /// <paramref name="doctype"/>/<paramref name="name"/> in a job. Frappe's default timeout for it is 300 s.
    /// </summary>
    public static Task<EnqueueResult> EnqueueDocAsync(FrappeContext context, string doctype, string name, string method, object? kwargs = null, EnqueueOptions? options = null, CancellationToken ct = default)
    {
        if (DocumentMethods.Find(context, doctype, method) is null)
            throw new ValidationError($"Cannot enqueue {doctype}.{method}: {doctype} has no document method {method}");
        var arguments = new JsonObject
        {
            ["doctype"] = doctype,
            ["name"] = name,
            ["doc_method"] = method,
            ["kwargs"] = ToKwargs(doctype + "." + method, kwargs),
        };
        options ??= new EnqueueOptions();
        return EnqueueAsync(context, DocumentMethods.RunDocMethod, arguments,
            options with { JobName = options.JobName ?? doctype + "." + method, Timeout = options.Timeout ?? 300 }, ct);
    }

    /// <summary>Enqueues a C# method by reference; it must carry <see cref="FrappeMethodAttribute"/> or <see cref="WhitelistAttribute"/>, or be registered.</summary>
    public static Task<EnqueueResult> EnqueueAsync(FrappeContext context, Func<FrappeContext, JsonObject, CancellationToken, Task<object?>> method, object? kwargs = null, EnqueueOptions? options = null, CancellationToken ct = default) =>
        EnqueueAsync(context, NameOf(context.Site.Host.Methods, method), kwargs, options, ct);

    /// <summary>The dotted name a delegate is registered under in <paramref name="methods"/>.</summary>
    public static string NameOf(MethodRegistry methods, Delegate method)
    {
        var info = method.Method;
        var name = info.GetCustomAttribute<FrappeMethodAttribute>()?.Name
            ?? info.GetCustomAttribute<WhitelistAttribute>()?.Name
            ?? methods.All.FirstOrDefault(m => m.Invoke.Method == info && Equals(m.Invoke.Target, method.Target))?.Name;
        return name ?? throw new ValidationError($"Cannot enqueue {info.DeclaringType?.FullName}.{info.Name}: it is not a registered method.");
    }

    /// <summary>Turns the caller's arguments into the JSON object the job stores, or says why it cannot.</summary>
    public static JsonObject ToKwargs(string method, object? kwargs)
    {
        if (kwargs is null)
            return [];
        if (kwargs is JsonObject o)
            return (JsonObject)o.DeepClone();
        JsonNode? node;
        try
        {
            node = JsonSerializer.SerializeToNode(kwargs, kwargs.GetType(), ArgumentJson);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or ArgumentException or InvalidOperationException)
        {
            throw new ValidationError($"Arguments for {method} are not JSON serialisable: {e.Message}");
        }
        return node as JsonObject ?? throw new ValidationError($"Arguments for {method} must be keyword arguments (a JSON object), not {node?.GetValueKind().ToString() ?? "null"}.");
    }

    /// <summary>The job of this site with that id (with or without the site prefix); null when it expired or never was.</summary>
    public static async Task<JobRecord?> GetJobAsync(FrappeContext context, string jobId, CancellationToken ct = default)
    {
        var backend = JobBackends.Of(context).For(QueueSettings.For(context.Site));
        var id = jobId.StartsWith(context.Site.Name + "::", StringComparison.Ordinal) ? jobId : JobRecord.FullId(context.Site.Name, jobId);
        return await backend.GetAsync(id, ct);
    }

    /// <summary>Frappe's <c>get_job_status</c>: the status, or null when there is no such job.</summary>
    public static async Task<string?> GetJobStatusAsync(FrappeContext context, string jobId, CancellationToken ct = default) =>
        (await GetJobAsync(context, jobId, ct))?.Status;

    /// <summary>Frappe's <c>is_job_enqueued</c>: queued or running.</summary>
    public static async Task<bool> IsJobEnqueuedAsync(FrappeContext context, string jobId, CancellationToken ct = default) =>
        JobStatus.IsPending(await GetJobStatusAsync(context, jobId, ct));
}
