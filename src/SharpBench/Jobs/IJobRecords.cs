namespace SharpBench.Jobs;

/// <summary>The job records a site reads and manages (RQ Job): look one up, list, delete, stop.</summary>
public interface IJobRecords
{
    Task<JobRecord?> GetAsync(string id, CancellationToken ct = default);

    /// <summary>The site's jobs that have not expired, newest first.</summary>
    Task<IReadOnlyList<JobRecord>> ListAsync(string site, CancellationToken ct = default);

    /// <summary>Removes the record (and its queue entry, if it has not started). False when there is none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken ct = default);

    /// <summary>A queued job is canceled at once; a running one is asked to stop (its worker cancels it).</summary>
    Task<StopOutcome> StopAsync(string id, CancellationToken ct = default);
}
