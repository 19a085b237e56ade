using SharpBench.Apps;
using SharpBench.Sites;

namespace SharpBench.Hosting;

/// <summary>
/// The step every command takes before its role runs: the bench's apps (sites/apps.txt →
/// apps/&lt;app&gt;/&lt;app&gt;.dll) load into the process, so an app that cannot load stops the
/// command at once with its file and reason. Each host then registers them into its own
/// registries (<see cref="HostState"/>), so serve, the workers, the scheduler, migrate and
/// new-site all know the same DocTypes, hooks and methods.
/// </summary>
public static class BenchApps
{
    /// <summary>Loads them; an app listed in apps.txt without an assembly is reported on <paramref name="warnings"/>.</summary>
    public static void Load(Bench bench, TextWriter warnings)
    {
        var missing = AppLoader.LoadBenchApps(bench);
        if (missing.Count > 0)
            warnings.WriteLine($"Warning: apps in sites/apps.txt without an assembly under apps/: {string.Join(", ", missing)}");
    }
}
