using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpBench.Sites;

namespace SharpBench.Jobs;

/// <summary>
/// The worker role inside <c>bench start</c>: one worker on every queue, on Redis when
/// <c>redis_queue</c> is set (as Frappe's Procfile runs <c>bench worker</c>), otherwise on the
/// in-process queue, which it creates so the web role's enqueues have somewhere to go.
/// Concurrency is <c>background_workers</c> (default 2). The host's shutdown is the warm stop.
/// </summary>
public sealed class JobsHostedService(Bench bench, SiteRegistry sites, ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = QueueSettings.For(bench);
        IJobBackend backend;
        if (settings.RedisQueue is null)
        {
            var embedded = JobBackends.UseEmbedded();
            embedded.FailedJobsLimit = settings.FailedJobsLimit;
            backend = embedded;
        }
        else
        {
            backend = JobBackends.For(settings);
        }
        var concurrency = new SiteConfig(bench.ReadCommonConfig()).GetInt("background_workers") is > 0 and var n ? n : 2;
        var worker = new Worker(backend, settings,
            new WorkerOptions { Queues = settings.QueueNames.ToList(), Concurrency = concurrency, ReclaimGrace = settings.ReclaimGrace },
            sites, loggers.CreateLogger("bench.worker"));
        await Task.Yield();
        await worker.RunAsync(stoppingToken);
    }
}
