using Microsoft.Extensions.Logging;
using SharpBench.Apps;
using SharpBench.Sites;

namespace SharpBench.CoreApp;

/// <summary>
/// Makes a host with its apps loaded: the core app first, then the bench's (sites/apps.txt), each
/// registering its methods, hooks and virtual DocTypes into that host's parts. Every host is made
/// here (the roles through <c>AddSharpBenchModel</c>, commands through <see cref="Sites(Bench)"/>),
/// because only this layer knows the core app.
/// </summary>
public static class BenchHost
{
    /// <exception cref="AppLoadException">An app of the bench cannot load.</exception>
    public static HostState Load(Bench? bench = null, ILoggerFactory? loggers = null, TimeProvider? clock = null)
    {
        var host = new HostState(bench, loggers, clock);
        host.Apps.Register(FrappeApp.Instance);
        if (bench is not null)
            host.Apps.LoadBenchApps(bench);
        return host;
    }

    /// <summary>A site registry for a command: its own host, with the bench's apps loaded.</summary>
    public static SiteRegistry Sites(Bench bench) => new(bench, Load(bench));
}
