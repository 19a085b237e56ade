using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpBench.Jobs;
using SharpBench.Sites;

namespace SharpBench.Hosting;

/// <summary>What a worker role runs: <c>bench worker</c>, <c>bench worker-pool</c>, or the workers inside <c>bench start</c>.</summary>
public sealed record WorkerRole
{
    /// <summary>The command, for the logger's name and errors.</summary>
    public string Name { get; init; } = "worker";

    /// <summary>The queue settings (with <c>-u/-p</c> applied).</summary>
    public required QueueSettings Settings { get; init; }

    /// <summary>Queues in priority order.</summary>
    public required IReadOnlyList<string> Queues { get; init; }

    /// <summary>Workers in the process, each registered under its own name.</summary>
    public int Workers { get; init; } = 1;

    public int Concurrency { get; init; } = 1;

    public bool Burst { get; init; }

    public DequeueStrategy Strategy { get; init; }

    /// <summary>A process of its own (<c>bench worker</c>), not a part of <c>bench start</c>: it checks its login first and runs at background niceness.</summary>
    public bool OwnProcess { get; init; }

    /// <summary>
    /// The longest a warm stop waits: running jobs end within their queue's timeout, then their
    /// outcomes get the reclaim grace to reach Redis. Past it the host stops anyway and a job
    /// still unacknowledged is re-run by another worker.
    /// </summary>
    public TimeSpan Grace => TimeSpan.FromSeconds(Queues.Max(Settings.TimeoutOf)) + Settings.ReclaimGrace;

    /// <summary>
    /// <c>bench worker</c> / <c>worker-pool</c>: needs <c>redis_queue</c> (another process has to
    /// reach the queue); throws a <see cref="BenchException"/> for a missing queue or an unknown queue name.
    /// </summary>
    public static WorkerRole Standalone(QueueSettings settings, string name, string? queues)
    {
        if (settings.RedisQueue is null)
            throw new BenchException($"bench {name} needs a Redis queue: set redis_queue (bench set-config -g redis_queue redis://HOST:PORT), or use bench start, which runs jobs in-process.");
        return new WorkerRole { Name = name, Settings = settings, Queues = settings.ParseQueueList(queues), OwnProcess = true };
    }

    /// <summary>
    /// The worker of <c>bench start</c>: one worker on every queue, on Redis when <c>redis_queue</c>
    /// is set (as Frappe's Procfile runs <c>bench worker</c>), otherwise on the in-process queue.
    /// Concurrency is <c>background_workers</c> (default 2).
    /// </summary>
    public static WorkerRole InStart(Bench bench)
    {
        var settings = QueueSettings.For(bench);
        return new WorkerRole
        {
            Settings = settings,
            Queues = settings.QueueNames.ToList(),
            Concurrency = new SiteConfig(bench.ReadCommonConfig()).GetInt("background_workers") is > 0 and var n ? n : 2,
        };
    }
}

/// <summary>
/// Runs a <see cref="WorkerRole"/>'s workers for the life of the host. The host's stop is the
/// warm stop (no new job; running ones finish); the end of the host's shutdown timeout ends the
/// grace (see <see cref="Worker.RunAsync"/>). A burst role stops the host when the queues are
/// empty; a worker that fails stops it with the reason, which <see cref="RoleFailures"/> keeps.
/// </summary>
public sealed class WorkerService(WorkerRole role, JobBackends backends, SiteRegistry sites, IServiceProvider services,
    ILoggerFactory loggers, IHostApplicationLifetime lifetime, RoleFailures failures) : BackgroundService
{
    private readonly CancellationTokenSource _graceOver = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var logger = loggers.CreateLogger("bench." + role.Name);
        try
        {
            var backend = role.Settings.RedisQueue is null
                ? backends.Embedded ?? backends.UseEmbedded()
                : await backends.ForAsync(role.Settings);
            // Three missed beats (the worker record's TTL in Redis) make the container unhealthy.
            var health = new HealthFile("worker", RedisJobBackend.WorkerTtl);
            var workers = Enumerable.Range(0, role.Workers).Select(_ => new Worker(backend, role.Settings,
                new WorkerOptions
                {
                    Heartbeated = () => health.Beat(m => logger.LogWarning("{Warning}", m)),
                    Queues = role.Queues,
                    Burst = role.Burst,
                    Concurrency = role.Concurrency,
                    ReclaimGrace = role.Settings.ReclaimGrace,
                    Strategy = role.Strategy,
                },
                sites, logger, services)).ToList();
            await Task.WhenAll(workers.Select(w => w.RunAsync(stoppingToken, _graceOver.Token)));
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested || e is BenchException)
        {
            failures.Add(e);
            lifetime.StopApplication();
        }
        if (role.Burst)
            lifetime.StopApplication();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await using var grace = cancellationToken.Register(() => _graceOver.Cancel());
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _graceOver.Dispose();
        base.Dispose();
    }
}
