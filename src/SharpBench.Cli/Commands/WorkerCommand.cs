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
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var settings = QueueSettings.For(bench).WithRqCredentials(parse.GetValue(rqUsername), parse.GetValue(rqPassword));
            if (settings.RedisQueue is null)
                throw new BenchException("bench worker needs a Redis queue: set redis_queue (bench set-config -g redis_queue redis://HOST:PORT), or use bench start, which runs jobs in-process.");
            var queues = settings.ParseQueueList(parse.GetValue(queue));
            var n = parse.GetValue(concurrency);
            if (n < 1)
                throw new BenchException("--concurrency must be 1 or more.");

            using var loggers = LoggerFactory.Create(b =>
            {
                Logging.Configure(b);
                if (parse.GetValue(quiet))
                    b.SetMinimumLevel(LogLevel.Warning);
            });
            var logger = loggers.CreateLogger("bench.worker");
            RaiseNiceness(bench, logger);
            using var stop = new ShutdownSignal();
            var worker = new Worker(JobBackends.For(settings), settings,
                new WorkerOptions
                {
                    Queues = queues,
                    Burst = parse.GetValue(burst),
                    Concurrency = n,
                    ReclaimGrace = settings.ReclaimGrace,
                    Strategy = QueueOrder.ParseStrategy(parse.GetValue(strategy)),
                },
                new SiteRegistry(bench), logger);
            await worker.RunAsync(stop.Token);
            return 0;
        }));
        return command;
    }

    /// <summary>Background roles yield the CPU to the web (see <see cref="Niceness"/>).</summary>
    public static void RaiseNiceness(Bench bench, ILogger logger)
    {
        var increment = Niceness.Increment(new SiteConfig(bench.ReadCommonConfig()));
        if (!Niceness.Raise(increment))
            logger.LogWarning("Could not change this process's niceness by {Increment} (background_process_niceness)", increment);
    }

    /// <summary>Loads the bench's apps; an app listed in apps.txt without an assembly is an operator error.</summary>
    public static void LoadApps(Bench bench)
    {
        var missing = AppLoader.LoadBenchApps(bench);
        if (missing.Count > 0)
            Console.Error.WriteLine($"Warning: apps in sites/apps.txt without an assembly under apps/: {string.Join(", ", missing)}");
    }
}
