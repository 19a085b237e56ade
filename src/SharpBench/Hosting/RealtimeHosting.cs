using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpBench.Http;
using SharpBench.Realtime;
using SharpBench.Realtime.Engine;
using SharpBench.Realtime.Frappe;
using SharpBench.Realtime.Publishing;
using SharpBench.Sites;

namespace SharpBench.Hosting;

/// <summary>
/// Puts the realtime server into an ASP.NET Core host: the standalone <c>bench socketio</c>
/// role, or a module of <c>bench start</c> sharing the web port under <c>/socket.io</c>.
/// </summary>
internal static class RealtimeHosting
{
    /// <summary>Set to 1 to add the <c>/sharpbench-echo</c> namespace the protocol conformance tests drive.</summary>
    public const string EchoVariable = "SHARPBENCH_REALTIME_ECHO";

    /// <summary>The realtime server's services; it listens on the bench's bridge (<see cref="IRealtimeBridges.ForBenchAsync"/>).</summary>
    public static void AddRealtime(IServiceCollection services, EngineOptions? options = null)
    {
        services.AddSingleton(options ?? new EngineOptions());
        services.AddSingleton<IRealtimeAuth, SiteSessionAuth>();
        services.AddSingleton<IRealtimePermissions, ModelPermissions>();
        services.AddSingleton(sp =>
        {
            var logs = sp.GetRequiredService<ILoggerFactory>();
            var server = new RealtimeServer(sp.GetRequiredService<EngineOptions>(), logs);
            if (Environment.GetEnvironmentVariable(EchoVariable) == "1")
                server.Sockets.Route(EchoNamespace.Route());
            server.Sockets.Route(new SiteNamespaces(sp.GetRequiredService<SiteRegistry>(), sp.GetRequiredService<IRealtimeAuth>(),
                sp.GetRequiredService<IRealtimePermissions>(), logs.CreateLogger<SiteNamespaces>()).Route());
            return server;
        });
        services.AddHostedService<SocketGauge>();
        services.AddSingleton<RealtimeRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<RealtimeRelay>());
    }

    /// <summary>The standalone role's health: healthy while subscribed to the bridge (<c>bench start</c>'s web health stays as it is).</summary>
    public static void AddStandaloneHealth(IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<RealtimeHealth>("realtime");

    public static void MapRealtime(WebApplication app)
    {
        app.UseRealtimeWebSockets();
        app.Services.GetRequiredService<RealtimeServer>().Map(app);
    }

    /// <summary>The web host of the standalone realtime role (the compose <c>websocket</c> service), before the realtime services are added.</summary>
    public static WebApplicationBuilder CreateStandaloneBuilder(string bind, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(WebServer.CreateHostOptions());
        builder.WebHost.UseUrls($"http://{(bind.Contains(':') ? $"[{bind}]" : bind)}:{port}");
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        Logging.Configure(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        return builder;
    }

    /// <summary>Maps what the standalone realtime role serves: its health check and <c>/socket.io</c>.</summary>
    public static void MapStandalone(WebApplication app)
    {
        app.MapHealthChecks("/healthz");
        MapRealtime(app);
    }
}

/// <summary>Healthy while the relay is subscribed to its bridge.</summary>
internal sealed class RealtimeHealth(RealtimeRelay relay) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(relay.Subscribed ? HealthCheckResult.Healthy($"{relay.Server.Engine.SessionCount} connections")
            : HealthCheckResult.Unhealthy("not subscribed to the events channel"));
}

/// <summary>
/// Subscribes the server to the bridge for the life of the host, and on shutdown closes every
/// client connection in a way that makes socket.io-client reconnect (to another replica).
/// </summary>
internal sealed class RealtimeRelay(RealtimeServer server, IRealtimeBridges bridges, Bench bench, IHostApplicationLifetime lifetime, ILogger<RealtimeRelay> log) : IHostedService
{
    private IAsyncDisposable? _subscription;

    public RealtimeServer Server => server;

    public bool Subscribed => _subscription is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var bridge = await bridges.ForBenchAsync(bench);
        _subscription = await bridge.SubscribeBatchesAsync(messages =>
        {
            // Several events at once: each client gets its share of all of them in one write.
            var batch = messages.Count > 1 ? new DeliveryBatch() : null;
            foreach (var m in messages)
            {
                try
                {
                    Metrics.SharpBenchMetrics.Delivered(server.Deliver(m, batch));
                }
                catch (Exception e)
                {
                    log.LogError(e, "Delivering realtime event {Event} failed", m.Event);
                }
            }
            batch?.End();
        }, cancellationToken);
        lifetime.ApplicationStopping.Register(() =>
        {
            if (log.IsEnabled(LogLevel.Information))
                log.LogInformation("Closing {Count} realtime connections", server.Engine.SessionCount);
            server.Shutdown();
        });
        var started = $"Realtime service listening on {server.Options.Path} ({bridge.GetType().Name})";
        lifetime.ApplicationStarted.Register(() =>
        {
            if (log.IsEnabled(LogLevel.Information))
                log.LogInformation("{Started}", started);
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscription is not null)
            await _subscription.DisposeAsync();
        _subscription = null;
    }
}

/// <summary>Counts this host's sockets into the process's metrics while the host runs.</summary>
internal sealed class SocketGauge(RealtimeServer server) : IHostedService
{
    private IDisposable? _watch;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _watch = Metrics.SharpBenchMetrics.WatchSockets(() => server.Sockets.Namespaces.Sum(n => n.SocketCount));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watch?.Dispose();
        return Task.CompletedTask;
    }
}
