namespace SharpBench.Hosting;

/// <summary>
/// A check a role makes before its host starts (a Redis login, the queue's persistence, the
/// process's niceness), so a refusal is the role's one clear error rather than a failed start
/// among the host's own log lines. <see cref="RoleHost.RunAsync"/> runs them in order of registration.
/// </summary>
public interface IRolePreflight
{
    Task RunAsync(CancellationToken ct);
}
