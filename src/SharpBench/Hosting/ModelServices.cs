using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SharpBench.Apps;
using SharpBench.CoreApp;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Hosting;

/// <summary>The framework's services for a host's container.</summary>
public static class ModelServices
{
    /// <summary>
    /// Registers what every role's host needs from the framework: one <see cref="HostState"/>
    /// (per container, so per host) with the bench's apps loaded (<see cref="BenchHost.Load"/>) and its
    /// registries (<see cref="AppRegistry"/>, <see cref="MethodRegistry"/>, <see cref="DocEventRegistry"/>,
    /// <see cref="VirtualDocTypes"/>, all singletons of the host), the <see cref="TimeProvider"/> it reads, the
    /// <see cref="SiteRegistry"/> that hands it to sites. Safe to call twice.
    /// </summary>
    public static IServiceCollection AddSharpBenchModel(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => BenchHost.Load(sp.GetRequiredService<Bench>(), sp.GetService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<HostState>().Apps);
        services.TryAddSingleton(sp => sp.GetRequiredService<HostState>().Methods);
        services.TryAddSingleton(sp => sp.GetRequiredService<HostState>().DocEvents);
        services.TryAddSingleton(sp => sp.GetRequiredService<HostState>().VirtualDocTypes);
        services.TryAddSingleton(sp => new SiteRegistry(sp.GetRequiredService<Bench>(), sp.GetRequiredService<HostState>()));
        return services;
    }
}
