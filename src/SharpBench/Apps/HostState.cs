using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SharpBench.Auth;
using SharpBench.Http;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Apps;

/// <summary>
/// What one host keeps between units of work: the meta cache, the sessions it read, the login
/// counters it holds while Redis is away, its clock and its loggers. Each host has its own (see
/// <see cref="ModelServices.AddSharpBenchModel"/>), and every <see cref="Site"/> the host's
/// <see cref="SiteRegistry"/> resolves carries it, so two benches served from one process share none of it.
/// </summary>
public sealed class HostState
{
    public HostState(ILoggerFactory? loggers = null, TimeProvider? clock = null)
    {
        Loggers = loggers ?? NullLoggerFactory.Instance;
        Clock = clock ?? TimeProvider.System;
        Sessions = new SessionCaches(Loggers.CreateLogger("SharpBench.Auth"));
    }

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
    /// (per container, so per host), the <see cref="TimeProvider"/> it reads, the
    /// <see cref="SiteRegistry"/> that hands it to sites, and the request pipeline. Safe to call twice.
    /// </summary>
    public static IServiceCollection AddSharpBenchModel(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new HostState(sp.GetService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new SiteRegistry(sp.GetRequiredService<Bench>(), sp.GetRequiredService<HostState>()));
        services.TryAddSingleton<ApiPipeline>();
        return services;
    }
}
