using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SharpBench.Apps;
using SharpBench.Jobs;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary>
/// <c>bench worker</c>: the queue-short / queue-long role. Needs <c>redis_queue</c> (another process
/// has to reach the queue). SIGTERM or Ctrl+C is a warm stop: no new job, running jobs finish
/// within their timeouts, exit 0.
/// </summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var queue = new Option<string?>("--queue") { Description = "Queues to work on, in priority order (default: short,default,long, then custom queues)" };
        var burst = new Option<bool>("--burst") { Description = "Run until the queues are empty, then exit" };
        var quiet = new Option<bool>("--quiet") { Description = "Log warnings and errors only" };
        var concurrency = new Option<int>("--concurrency") { Description = "Jobs run at the same time in this worker", DefaultValueFactory = _ => 1 };
        var strategy = new Option<string?>("--strategy") { Description = "Dequeue strategy: round_robin (the queue a job came from goes to the back) or random (shuffled after each job)" };
        strategy.AcceptOnlyFromAmong([.. QueueOrder.StrategyNames]);
        var rqUsername = new Option<string?>("--rq-username", "-u") { Description = "Redis ACL user for redis_queue (with use_rq_auth; default: rq_username)" };
        var rqPassword = new Option<string?>("--rq-password", "-p") { Description = "Password of that user (with use_rq_auth; default: rq_password)" };
        var command = new Command("worker", "Run a background job worker on the Redis queues") { queue, burst, quiet, concurrency, strategy, rqUsername, rqPassword };
        command.SetAction((parse, ct) => CliContext.RunAsync(() =>
        {
            var bench = CliContext.Bench();
            var settings = QueueSettings.For(bench).WithRqCredentials(parse.GetValue(rqUsername), parse.GetValue(rqPassword));
            var n = parse.GetValue(concurrency);
            if (n < 1)
                throw new BenchException("--concurrency must be 1 or more.");
            return RunWorkersAsync(bench, settings, new WorkerRun(parse.GetValue(queue), parse.GetValue(burst), parse.GetValue(quiet))
            {
                Concurrency = n,
                Strategy = QueueOrder.ParseStrategy(parse.GetValue(strategy)),
            });
        }));
        return command;
    }

    /// <summary>What <c>bench worker</c> and <c>bench worker-pool</c> were asked to run.</summary>
    public sealed record WorkerRun(string? Queues, bool Burst, bool Quiet)
    {
        public int Workers { get; init; } = 1;
        public int Concurrency { get; init; } = 1;
        public DequeueStrategy Strategy { get; init; }
        /// <summary>The command, for its logger and errors.</summary>
        public string Role { get; init; } = "worker";
    }

    /// <summary>
    /// Runs <see cref="WorkerRun.Workers"/> workers in this process until a warm stop (or, with
    /// burst, until the queues are empty); each registers under its own name.
    /// </summary>
    public static async Task<int> RunWorkersAsync(Bench bench, QueueSettings settings, WorkerRun run)
    {
        if (settings.RedisQueue is null)
            throw new BenchException($"bench {run.Role} needs a Redis queue: set redis_queue (bench set-config -g redis_queue redis://HOST:PORT), or use bench start, which runs jobs in-process.");
        var queues = settings.ParseQueueList(run.Queues);

        using var loggers = LoggerFactory.Create(b =>
        {
            Logging.Configure(b);
            if (run.Quiet)
                b.SetMinimumLevel(LogLevel.Warning);
        });
        var logger = loggers.CreateLogger("bench." + run.Role);
        Niceness.RaiseForBackgroundRole(bench, logger);
        // The login first: a refused one is the one clear error, before any persistence warning.
        _ = JobBackends.For(settings);
        if ((await QueuePersistence.CheckAsync(settings)).Warning(settings.RedisQueueShown!) is { } persistence)
            logger.LogWarning("{Warning}", persistence);
        using var stop = new ShutdownSignal();
        var sites = new SiteRegistry(bench);
        var workers = Enumerable.Range(0, run.Workers).Select(_ => new Worker(JobBackends.For(settings), settings,
            new WorkerOptions
            {
                Queues = queues,
                Burst = run.Burst,
                Concurrency = run.Concurrency,
                ReclaimGrace = settings.ReclaimGrace,
                Strategy = run.Strategy,
            },
            sites, logger));
        await Task.WhenAll(workers.Select(w => w.RunAsync(stop.Token)));
        return 0;
    }

    /// <summary>Loads the bench's apps; an app listed in apps.txt without an assembly is an operator error.</summary>
    public static void LoadApps(Bench bench)
    {
        IReadOnlyList<string> missing;
        try
        {
            missing = AppLoader.LoadBenchApps(bench);
        }
        catch (AppLoadException e)
        {
            Console.Error.WriteLine("Error: " + e.Message);
            Environment.Exit(1);
            return;
        }
        if (missing.Count > 0)
            Console.Error.WriteLine($"Warning: apps in sites/apps.txt without an assembly under apps/: {string.Join(", ", missing)}");
    }
}
