namespace SharpBench.Jobs;

/// <summary>RQ's job statuses, spelled as Frappe's RQ Job DocType shows them.</summary>
public static class JobStatus
{
    public const string Queued = "queued";
    public const string Started = "started";
    public const string Finished = "finished";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    public static readonly IReadOnlyList<string> All = [Queued, Started, Finished, Failed, Canceled];

    public static bool IsPending(string? status) => status is Queued or Started;
}
