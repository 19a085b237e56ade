using System.Globalization;
using System.Text.Json.Nodes;

namespace SharpBench.Jobs;

/// <summary>What a worker publishes about itself on every heartbeat (the RQ Worker record).</summary>
public sealed class WorkerInfo
{
    public required string Name { get; init; }
    public required IReadOnlyList<string> Queues { get; init; }
    public int Pid { get; init; } = Environment.ProcessId;
    public string Hostname { get; init; } = Environment.MachineName;
    public DateTime BirthDate { get; init; } = JobRecord.Now();
    public DateTime LastHeartbeat { get; set; } = JobRecord.Now();
    public string Status { get; set; } = "idle";
    public IReadOnlyList<string> CurrentJobIds { get; set; } = [];
    public long SuccessfulJobCount { get; set; }
    public long FailedJobCount { get; set; }
    public double TotalWorkingTime { get; set; }

    public List<KeyValuePair<string, string>> ToFields() =>
    [
        new("name", Name), new("queues", string.Join(",", Queues)), new("pid", Pid.ToString(CultureInfo.InvariantCulture)),
        new("hostname", Hostname), new("birth_date", JobRecord.Format(BirthDate)), new("last_heartbeat", JobRecord.Format(LastHeartbeat)),
        new("status", Status), new("current_job_ids", string.Join("\n", CurrentJobIds)),
        new("successful_job_count", SuccessfulJobCount.ToString(CultureInfo.InvariantCulture)),
        new("failed_job_count", FailedJobCount.ToString(CultureInfo.InvariantCulture)),
        new("total_working_time", TotalWorkingTime.ToString("0.######", CultureInfo.InvariantCulture)),
    ];

    public static WorkerInfo? FromFields(IReadOnlyDictionary<string, string> f)
    {
        if (!f.TryGetValue("name", out var name))
            return null;
        return new WorkerInfo
        {
            Name = name,
            Queues = f.GetValueOrDefault("queues", "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            Pid = int.TryParse(f.GetValueOrDefault("pid"), CultureInfo.InvariantCulture, out var pid) ? pid : 0,
            Hostname = f.GetValueOrDefault("hostname", ""),
            BirthDate = JobRecord.Parse(f.GetValueOrDefault("birth_date")) ?? DateTime.UnixEpoch,
            LastHeartbeat = JobRecord.Parse(f.GetValueOrDefault("last_heartbeat")) ?? DateTime.UnixEpoch,
            Status = f.GetValueOrDefault("status", "idle"),
            CurrentJobIds = f.GetValueOrDefault("current_job_ids", "").Split('\n', StringSplitOptions.RemoveEmptyEntries),
            SuccessfulJobCount = long.TryParse(f.GetValueOrDefault("successful_job_count"), CultureInfo.InvariantCulture, out var s) ? s : 0,
            FailedJobCount = long.TryParse(f.GetValueOrDefault("failed_job_count"), CultureInfo.InvariantCulture, out var fc) ? fc : 0,
            TotalWorkingTime = double.TryParse(f.GetValueOrDefault("total_working_time"), CultureInfo.InvariantCulture, out var w) ? w : 0,
        };
    }

    /// <summary>The RQ Worker document; the current job is shown only when it belongs to <paramref name="site"/>.</summary>
    public JsonObject ToDocument(string site)
    {
        var age = (JobRecord.Now() - BirthDate).TotalSeconds;
        var current = CurrentJobIds.FirstOrDefault(id => id.StartsWith(site + "::", StringComparison.Ordinal));
        return new JsonObject
        {
            ["name"] = Name,
            ["doctype"] = "RQ Worker",
            ["worker_name"] = Name,
            ["status"] = Status,
            ["pid"] = Pid,
            ["hostname"] = Hostname,
            ["current_job_id"] = current,
            ["last_heartbeat"] = JobRecord.Format(LastHeartbeat),
            ["birth_date"] = JobRecord.Format(BirthDate),
            ["successful_job_count"] = SuccessfulJobCount,
            ["failed_job_count"] = FailedJobCount,
            ["total_working_time"] = Math.Round(TotalWorkingTime, 3),
            ["queue"] = string.Join(",", Queues),
            ["queue_type"] = string.Join(",", Queues),
            ["utilization_percent"] = age > 0 ? Math.Round(TotalWorkingTime / age * 100, 2) : 0,
        };
    }
}
