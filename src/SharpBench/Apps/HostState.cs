using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SharpBench.Auth;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Apps;

/// <summary>
/// What one host keeps between units of work: its apps and what they registered (methods,
/// document hooks, virtual DocTypes), the meta cache, the sessions it read, the login counters it
/// holds while Redis is away, its clock and its loggers. Each host has its own (see
/// <see cref="ModelServices.AddSharpBenchModel"/>), and every <see cref="Site"/> the host's
/// <see cref="SiteRegistry"/> resolves carries it, so two benches served from one process share none of it.
/// </summary>
public sealed class HostState
{
    /// <param name="bench">The bench whose apps (sites/apps.txt) the host loads; without one, only the core app.</param>
    /// <exception cref="AppLoadException">An app of the bench cannot load.</exception>
    public HostState(Bench? bench = null, ILoggerFactory? loggers = null, TimeProvider? clock = null)
    {
        Loggers = loggers ?? NullLoggerFactory.Instance;
        Clock = clock ?? TimeProvider.System;
        Sessions = new SessionCaches(Loggers.CreateLogger("SharpBench.Auth"));
        Apps = new AppRegistry(this);
        if (bench is not null)
            Apps.LoadBenchApps(bench);
    }

    /// <summary>The apps this host loaded: the core app and the bench's.</summary>
    public AppRegistry Apps { get; }

    /// <summary>The methods callable by dotted name on this host's sites.</summary>
    public MethodRegistry Methods { get; } = new();

    /// <summary>Controllers and <c>doc_events</c> hooks registered in code (beside the apps' own).</summary>
    public DocEventRegistry DocEvents { get; } = new();

    /// <summary>The providers of virtual DocTypes (RQ Job, RQ Worker) on this host.</summary>
    public VirtualDocTypes VirtualDocTypes { get; } = new();

    public ILoggerFactory Loggers { get; }

    /// <summary>The time the model and sessions read (tests move it).</summary>
    public TimeProvider Clock { get; }

    public MetaCache Meta { get; init; } = new();

    public SessionCaches Sessions { get; }

    public LoginLock.Counters LoginCounters { get; } = new();

    /// <summary>Each site's time zone setting and when it was read (<see cref="SiteTime"/>).</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, (TimeZoneInfo Zone, DateTimeOffset ReadAt)> Zones { get; } = new(StringComparer.Ordinal);
}

/// <summary>The session state one host keeps: recently read sessions, the session expiry setting per site, and its log.</summary>
public sealed class SessionCaches(ILogger log)
{
    public LocalSessionCache Local { get; } = new();

    internal System.Collections.Concurrent.ConcurrentDictionary<string, (TimeSpan Expiry, DateTimeOffset ReadAt)> Expiries { get; } = new(StringComparer.Ordinal);

    internal ILogger Log { get; } = log;
}

/// <summary>The framework's services for a host's container.</summary>
public static class ModelServices
{
    /// <summary>
    /// Registers what every role's host needs from the framework: one <see cref="HostState"/>
    /// (per container, so per host) with its registries (<see cref="AppRegistry"/>,
    /// <see cref="MethodRegistry"/>, <see cref="DocEventRegistry"/>, <see cref="VirtualDocTypes"/>,
    /// all singletons of the host), the <see cref="TimeProvider"/> it reads, the
    /// <see cref="SiteRegistry"/> that hands it to sites. Safe to call twice.
    /// </summary>
    public static IServiceCollection AddSharpBenchModel(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new HostState(sp.GetRequiredService<Bench>(), sp.GetService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<HostState>().Apps);
        services.TryAddSingleton(sp => sp.GetRequiredService<HostState>().Methods);
        services.TryAddSingleton(sp => sp.GetRequiredService<HostState>().DocEvents);
        services.TryAddSingleton(sp => sp.GetRequiredService<HostState>().VirtualDocTypes);
        services.TryAddSingleton(sp => new SiteRegistry(sp.GetRequiredService<Bench>(), sp.GetRequiredService<HostState>()));
        return services;
    }
}
