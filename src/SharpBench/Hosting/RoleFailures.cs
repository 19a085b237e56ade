using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace SharpBench.Hosting;

/// <summary>
/// Why a role stopped on its own (a refused Redis login, a permission Redis denied): the hosted
/// service that failed stops the host and leaves the reason here, and <see cref="RoleHost"/>
/// rethrows it once the host is down, so the command ends with that one error and exit code 1.
/// </summary>
public sealed class RoleFailures
{
    private readonly ConcurrentQueue<Exception> _failures = new();

    public void Add(Exception failure) => _failures.Enqueue(failure);

    public void ThrowIfAny()
    {
        if (_failures.TryPeek(out var first))
            ExceptionDispatchInfo.Capture(first).Throw();
    }
}
