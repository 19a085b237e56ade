using SharpBench.Apps;
using SharpBench.Jobs;
using SharpBench.Sites;

namespace SharpBench.Hosting;

/// <summary>
/// The step every command takes before its role runs: the bench's apps (sites/apps.txt →
/// apps/&lt;app&gt;/&lt;app&gt;.dll) and the jobs capability's DocTypes and methods, so serve, the
/// workers, the scheduler, migrate and new-site all know the same DocTypes, hooks and methods.
/// </summary>
public static class BenchApps
{
    /// <summary>Loads them; an app listed in apps.txt without an assembly is reported on <paramref name="warnings"/>.</summary>
    public static void Load(Bench bench, TextWriter warnings)
    {
        JobsSetup.Register();
        var missing = AppLoader.LoadBenchApps(bench);
        if (missing.Count > 0)
            warnings.WriteLine($"Warning: apps in sites/apps.txt without an assembly under apps/: {string.Join(", ", missing)}");
    }
}
