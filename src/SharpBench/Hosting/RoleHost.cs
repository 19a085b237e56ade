using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SharpBench.Hosting;

/// <summary>How every role's host runs, from its command.</summary>
public static class RoleHost
{
    /// <summary>
    /// Runs the role's preflight checks, then the host until it stops (SIGTERM or Ctrl+C through
    /// the host's console lifetime, with its shutdown timeout as the grace period), then rethrows
    /// the reason a role stopped on its own, if any.
    /// </summary>
    public static async Task RunAsync(IHost host, CancellationToken ct = default)
    {
        var failures = host.Services.GetRequiredService<RoleFailures>();
        try
        {
            foreach (var check in host.Services.GetServices<IRolePreflight>())
                await check.RunAsync(ct);
        }
        catch
        {
            if (host is IAsyncDisposable disposable)
                await disposable.DisposeAsync();
            else
                host.Dispose();
            throw;
        }
        await host.RunAsync(ct);
        failures.ThrowIfAny();
    }
}
