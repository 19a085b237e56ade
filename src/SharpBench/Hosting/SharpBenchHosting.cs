using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpBench.Apps;
using SharpBench.Jobs;
using SharpBench.Realtime;
using SharpBench.Realtime.Publishing;
using SharpBench.Scheduling;
using SharpBench.Sites;

namespace SharpBench.Hosting;

/// <summary>
/// Every role's wiring, in one place. Each command builds a host and adds its role: <c>serve</c>,
/// <c>worker</c>, <c>worker-pool</c>, <c>schedule</c>, <c>socketio</c>; <c>bench start</c> adds
/// them all to one web host. Each role's services are singletons of its host, so two hosts (two
/// benches) in one process share nothing but the loaded apps.
/// </summary>
public static class SharpBenchHosting
{
    /// <summary>
    /// The host of a role without a web server (<c>worker</c>, <c>worker-pool</c>, <c>schedule</c>):
    /// the bench's logging, and the console lifetime, so SIGTERM or Ctrl+C stops the host with its
    /// shutdown timeout as the grace period.
    /// </summary>
    public static HostApplicationBuilder CreateBackgroundBuilder(bool quiet = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // As for the web roles: the program's folder, never the bench (see WebServer.CreateHostOptions).
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        Logging.Configure(builder.Logging);
        if (quiet)
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The roles log their own start and stop lines, as they did before they ran on a host.
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        return builder;
    }

    /// <summary>What every role's host holds: the bench, its apps and their registries, its sites, Redis connections, the job queues and the realtime bridges.</summary>
    public static IHostApplicationBuilder AddSharpBenchCore(this IHostApplicationBuilder builder, Bench bench)
    {
        builder.Services.AddSharpBenchCore(bench);
        return builder;
    }

    /// <inheritdoc cref="AddSharpBenchCore(IHostApplicationBuilder, Bench)"/>
    public static IServiceCollection AddSharpBenchCore(this IServiceCollection services, Bench bench)
    {
        services.TryAddSingleton(bench);
        // The host's state and registries (apps, methods, hooks, virtual DocTypes, meta cache) and its sites.
        services.AddSharpBenchModel();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RoleFailures>();
        services.TryAddSingleton<RedisConnections>();
        services.TryAddSingleton(sp => new JobBackends(sp.GetRequiredService<RedisConnections>(), sp.GetService<EmbeddedQueueSettings>()));
        services.TryAddSingleton<InProcessBridge>();
        services.TryAddSingleton<IRealtimeBridges, RealtimeBridges>();
        return services;
    }

    /// <summary>
    /// <c>bench start</c>: every role in one web host. Realtime shares the web port under
    /// <c>/socket.io</c> (map it with <see cref="MapSharpBenchSocketio"/>), and without
    /// <c>redis_queue</c> the jobs, the scheduler and realtime events stay in this host.
    /// </summary>
    public static IHostApplicationBuilder AddSharpBenchStart(this IHostApplicationBuilder builder, Bench bench) => builder
        .AddSharpBenchServe(bench)
        .AddSharpBenchSocketio(bench)
        .AddSharpBenchWorker(bench, WorkerRole.InStart(bench))
        .AddSharpBenchSchedule(bench);

    /// <summary>The web backend's part (the web server itself is <see cref="Http.WebServer.Build"/>): requests enqueue and publish through the host's services.</summary>
    public static IHostApplicationBuilder AddSharpBenchServe(this IHostApplicationBuilder builder, Bench bench)
    {
        builder.AddSharpBenchCore(bench);
        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<WebHealthBeat>(sp, "serve"));
        return builder;
    }

    /// <summary>
    /// Workers for the life of the host (<see cref="WorkerService"/>). A standalone role checks its
    /// Redis login and the queue's persistence before the host starts, runs at background niceness,
    /// and waits at most <see cref="WorkerRole.Grace"/> for running jobs on a stop.
    /// </summary>
    public static IHostApplicationBuilder AddSharpBenchWorker(this IHostApplicationBuilder builder, Bench bench, WorkerRole role)
    {
        builder.AddSharpBenchCore(bench);
        var services = builder.Services;
        if (role.Settings.RedisQueue is null)
            services.TryAddSingleton(new EmbeddedQueueSettings(role.Settings.FailedJobsLimit));
        services.AddSingleton(role);
        if (role.OwnProcess)
        {
            services.AddSingleton<IRolePreflight>(sp => new BackgroundNiceness(bench, sp.GetRequiredService<ILoggerFactory>().CreateLogger("bench." + role.Name)));
            services.AddSingleton<IRolePreflight>(sp => new QueueLoginCheck(role.Settings, sp.GetRequiredService<JobBackends>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("bench." + role.Name), checkPersistence: true));
            services.Configure<HostOptions>(o => o.ShutdownTimeout = role.Grace);
        }
        services.AddHostedService<WorkerService>();
        return builder;
    }

    /// <summary><c>bench worker-pool</c>: <paramref name="workers"/> workers in one process, each registered on its own.</summary>
    public static IHostApplicationBuilder AddSharpBenchWorkerPool(this IHostApplicationBuilder builder, Bench bench, WorkerRole role, int workers) =>
        builder.AddSharpBenchWorker(bench, role with { Name = "worker-pool", Workers = workers });

    /// <summary>
    /// The scheduler (<see cref="SchedulerService"/>). Standalone (<c>bench schedule</c>) it needs
    /// <c>redis_queue</c>, checks its login before the host starts and runs at background niceness;
    /// inside <c>bench start</c> without Redis it schedules onto the in-process queue.
    /// Throws <see cref="BenchException"/> for a bad <c>scheduler_tick_interval</c> or <c>scheduler_lease</c>.
    /// </summary>
    public static IHostApplicationBuilder AddSharpBenchSchedule(this IHostApplicationBuilder builder, Bench bench, bool standalone = false)
    {
        var role = SchedulerRole.For(bench);
        if (standalone && role.Settings.RedisQueue is null)
            throw new BenchException("bench schedule needs a Redis queue: set redis_queue (bench set-config -g redis_queue redis://HOST:PORT), or use bench start, which runs the scheduler in-process.");
        builder.AddSharpBenchCore(bench);
        var services = builder.Services;
        if (role.Settings.RedisQueue is null)
            services.TryAddSingleton(new EmbeddedQueueSettings(role.Settings.FailedJobsLimit));
        services.AddSingleton(role);
        if (standalone)
        {
            services.AddSingleton<IRolePreflight>(sp => new BackgroundNiceness(bench, sp.GetRequiredService<ILoggerFactory>().CreateLogger("bench.schedule")));
            services.AddSingleton<IRolePreflight>(sp => new QueueLoginCheck(role.Settings, sp.GetRequiredService<JobBackends>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("bench.schedule"), checkPersistence: false));
        }
        services.AddHostedService<SchedulerService>();
        return builder;
    }

    /// <summary>
    /// The realtime server; map it with <see cref="MapSharpBenchSocketio"/> after the host is
    /// built. Standalone (<c>bench socketio</c>) it needs <c>redis_queue</c> to hear other
    /// processes and answers its own health check; with Redis its bridge connects before the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddSharpBenchSocketio(this IHostApplicationBuilder builder, Bench bench, bool standalone = false)
    {
        var redis = QueueSettings.For(bench).RedisQueue;
        if (standalone && redis is null)
            throw new BenchException("bench socketio needs Redis to hear events from other processes: set redis_queue (bench set-config -g redis_queue redis://HOST:PORT).");
        builder.AddSharpBenchCore(bench);
        RealtimeHosting.AddRealtime(builder.Services);
        if (standalone)
        {
            RealtimeHosting.AddStandaloneHealth(builder.Services);
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<WebHealthBeat>(sp, "socketio"));
        }
        if (redis is not null)
            builder.Services.AddSingleton<IRolePreflight>(sp => new BridgeCheck(sp.GetRequiredService<IRealtimeBridges>(), bench));
        return builder;
    }

    /// <summary>Serves <c>/socket.io</c> (and, standalone, <c>/healthz</c>) on the built host.</summary>
    public static WebApplication MapSharpBenchSocketio(this WebApplication app, bool standalone = false)
    {
        if (standalone)
            RealtimeHosting.MapStandalone(app);
        else
            RealtimeHosting.MapRealtime(app);
        return app;
    }

    private sealed class BackgroundNiceness(Bench bench, ILogger logger) : IRolePreflight
    {
        public Task RunAsync(CancellationToken ct)
        {
            Niceness.RaiseForBackgroundRole(bench, logger);
            return Task.CompletedTask;
        }
    }

    /// <summary>The login first: a refused one is the one clear error, before any persistence warning.</summary>
    private sealed class QueueLoginCheck(QueueSettings settings, JobBackends backends, ILogger logger, bool checkPersistence) : IRolePreflight
    {
        public async Task RunAsync(CancellationToken ct)
        {
            await backends.ForAsync(settings);
            if (checkPersistence && (await QueuePersistence.CheckAsync(settings)).Warning(settings.RedisQueueShown!) is { } persistence)
                logger.LogWarning("{Warning}", persistence);
        }
    }

    private sealed class BridgeCheck(IRealtimeBridges bridges, Bench bench) : IRolePreflight
    {
        public async Task RunAsync(CancellationToken ct) => await bridges.ForBenchAsync(bench);
    }
}
