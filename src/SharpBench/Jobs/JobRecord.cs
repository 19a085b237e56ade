using System.Globalization;
using System.Text.Json.Nodes;

namespace SharpBench.Jobs;

/// <summary>
/// One background job: what to run (method, keyword arguments, site, user), where (queue,
/// timeout) and what happened (status, timestamps, result or exception, worker). The id is
/// Frappe's <c>{site}::{job_id}</c>, so jobs of several sites share queues but list per site.
/// </summary>
public sealed class JobRecord
{
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss.ffffff";

    public required string Id { get; init; }
    public required string Site { get; init; }
    public required string User { get; init; }
    public required string Method { get; init; }
    public required string Queue { get; init; }
    public required int Timeout { get; init; }
    public string JobName { get; init; } = "";
    public JsonObject Kwargs { get; init; } = [];
    public string Status { get; set; } = JobStatus.Queued;
    public DateTime CreatedAt { get; init; } = Now();
    public DateTime? StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public string? WorkerName { get; set; }
    public string? Result { get; set; }
    public string? ExcInfo { get; set; }
    public int Attempts { get; set; }

    /// <summary>The realtime task id the job publishes progress to; null when it has none.</summary>
    public string? TaskId { get; init; }
    /// <summary>Registered method run after the job finished (Frappe's <c>on_success</c>).</summary>
    public string? OnSuccess { get; init; }

    /// <summary>Registered method run after the job failed (Frappe's <c>on_failure</c>).</summary>
    public string? OnFailure { get; init; }

    /// <summary>Where the queue entry of the job is (Redis stream key and entry id); set by the backend.</summary>
    internal string? Stream { get; set; }

    internal string? Entry { get; set; }

    /// <summary>The job id the application chose (or the generated one), without the site prefix.</summary>
    public string UserJobId => Id.StartsWith(Site + "::", StringComparison.Ordinal) ? Id[(Site.Length + 2)..] : Id;

    public static string FullId(string site, string jobId) => site + "::" + jobId;

    /// <summary>UTC with microseconds: job records are shared by every process of the bench.</summary>
    public static DateTime Now()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
    }

    public static string Format(DateTime t) => t.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTime? Parse(string? s) =>
        DateTime.TryParseExact(s, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>The record as name/value pairs (the Redis hash; the in-process store keeps the object).</summary>
    public List<KeyValuePair<string, string>> ToFields()
    {
        var f = new List<KeyValuePair<string, string>>
        {
            new("id", Id), new("site", Site), new("user", User), new("method", Method), new("queue", Queue),
            new("timeout", Timeout.ToString(CultureInfo.InvariantCulture)), new("job_name", JobName),
            new("kwargs", Kwargs.ToJsonString()), new("status", Status), new("created_at", Format(CreatedAt)),
            new("attempts", Attempts.ToString(CultureInfo.InvariantCulture)),
        };
        if (StartedAt is { } s) f.Add(new("started_at", Format(s)));
        if (EndedAt is { } e) f.Add(new("ended_at", Format(e)));
        if (WorkerName is not null) f.Add(new("worker_name", WorkerName));
        if (Result is not null) f.Add(new("result", Result));
        if (ExcInfo is not null) f.Add(new("exc_info", ExcInfo));
        if (TaskId is not null) f.Add(new("task_id", TaskId));
        if (OnSuccess is not null) f.Add(new("on_success", OnSuccess));
        if (OnFailure is not null) f.Add(new("on_failure", OnFailure));
        return f;
    }

    /// <summary>What a run decides (status, end, result or exception): all a worker writes back.</summary>
    public List<KeyValuePair<string, string>> OutcomeFields()
    {
        var f = new List<KeyValuePair<string, string>>(5) { new("status", Status) };
        if (StartedAt is { } s) f.Add(new("started_at", Format(s)));
        if (EndedAt is { } e) f.Add(new("ended_at", Format(e)));
        if (Result is not null) f.Add(new("result", Result));
        if (ExcInfo is not null) f.Add(new("exc_info", ExcInfo));
        return f;
    }

    public static JobRecord? FromFields(IReadOnlyDictionary<string, string> f)
    {
        if (!f.TryGetValue("id", out var id) || !f.TryGetValue("method", out var method))
            return null;
        return new JobRecord
        {
            Id = id,
            Site = f.GetValueOrDefault("site", ""),
            User = f.GetValueOrDefault("user", "Administrator"),
            Method = method,
            Queue = f.GetValueOrDefault("queue", "default"),
            Timeout = int.TryParse(f.GetValueOrDefault("timeout"), CultureInfo.InvariantCulture, out var t) ? t : 300,
            JobName = f.GetValueOrDefault("job_name", method),
            Kwargs = f.TryGetValue("kwargs", out var k) && JsonNode.Parse(k) is JsonObject o ? o : [],
            Status = f.GetValueOrDefault("status", JobStatus.Queued),
            CreatedAt = Parse(f.GetValueOrDefault("created_at")) ?? DateTime.UnixEpoch,
            StartedAt = Parse(f.GetValueOrDefault("started_at")),
            EndedAt = Parse(f.GetValueOrDefault("ended_at")),
            WorkerName = f.GetValueOrDefault("worker_name"),
            Result = f.GetValueOrDefault("result"),
            ExcInfo = f.GetValueOrDefault("exc_info"),
            Attempts = int.TryParse(f.GetValueOrDefault("attempts"), CultureInfo.InvariantCulture, out var a) ? a : 0,
            TaskId = f.GetValueOrDefault("task_id"),
            OnSuccess = f.GetValueOrDefault("on_success"),
            OnFailure = f.GetValueOrDefault("on_failure"),
            Stream = f.GetValueOrDefault("stream"),
            Entry = f.GetValueOrDefault("entry"),
        };
    }

    public JobRecord Clone()
    {
        var copy = FromFields(ToFields().ToDictionary(p => p.Key, p => p.Value))!;
        copy.Stream = Stream;
        copy.Entry = Entry;
        return copy;
    }

    /// <summary>The record as an RQ Job document (Frappe's field names).</summary>
    public JsonObject ToDocument()
    {
        var created = Format(CreatedAt);
        return new JsonObject
        {
            ["name"] = Id,
            ["doctype"] = "RQ Job",
            ["job_id"] = Id,
            ["job_name"] = JobName,
            ["queue"] = Queue,
            ["status"] = Status,
            ["method"] = Method,
            ["user"] = User,
            ["creation"] = created,
            ["modified"] = EndedAt is { } end ? Format(end) : StartedAt is { } st ? Format(st) : created,
            ["started_at"] = StartedAt is { } s ? Format(s) : null,
            ["ended_at"] = EndedAt is { } e ? Format(e) : null,
            ["time_taken"] = StartedAt is { } s2 && EndedAt is { } e2 ? Math.Round((e2 - s2).TotalSeconds, 6) : null,
            ["timeout"] = Timeout,
            ["arguments"] = Kwargs.ToJsonString(),
            ["result"] = Result,
            ["exc_info"] = ExcInfo,
            ["worker_name"] = WorkerName,
            ["attempts"] = Attempts,
            ["on_success"] = OnSuccess,
            ["on_failure"] = OnFailure,
        };
    }
}
