using System.CommandLine;
using SharpBench.Hosting;
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
            var n = parse.GetValue(concurrency);
            if (n < 1)
                throw new BenchException("--concurrency must be 1 or more.");
            var role = WorkerRole.Standalone(settings, "worker", parse.GetValue(queue)) with
            {
                Burst = parse.GetValue(burst),
                Concurrency = n,
                Strategy = QueueOrder.ParseStrategy(parse.GetValue(strategy)),
            };
            var builder = SharpBenchHosting.CreateBackgroundBuilder(parse.GetValue(quiet));
            builder.AddSharpBenchWorker(bench, role);
            await RoleHost.RunAsync(builder.Build());
            return 0;
        }));
        return command;
    }
}
