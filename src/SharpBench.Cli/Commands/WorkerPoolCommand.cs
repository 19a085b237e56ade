using System.CommandLine;
using SharpBench.Hosting;
using SharpBench.Jobs;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary>
/// <c>bench worker-pool</c>: several workers in one process, each registered (and listed in RQ
/// Worker) on its own. Frappe forks its pool from one preloaded parent so the workers share
/// memory; workers in one .NET process share the runtime, the loaded apps and the Redis
/// connection without forking.
/// </summary>
public static class WorkerPoolCommand
{
    public static Command Create()
    {
        var queue = new Option<string?>("--queue") { Description = "Queues to work on, in priority order (default: short,default,long, then custom queues)" };
        var workers = new Option<int>("--num-workers") { Description = "Workers in the pool", DefaultValueFactory = _ => 2 };
        var burst = new Option<bool>("--burst") { Description = "Run until the queues are empty, then exit" };
        var quiet = new Option<bool>("--quiet") { Description = "Log warnings and errors only" };
        var command = new Command("worker-pool", "Run a pool of background job workers in one process") { queue, workers, burst, quiet };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var n = parse.GetValue(workers);
            if (n < 1)
                throw new BenchException("--num-workers must be 1 or more.");
            var bench = CliContext.Bench();
            var role = WorkerRole.Standalone(QueueSettings.For(bench), "worker-pool", parse.GetValue(queue)) with { Burst = parse.GetValue(burst) };
            var builder = SharpBenchHosting.CreateBackgroundBuilder(parse.GetValue(quiet));
            builder.AddSharpBenchWorkerPool(bench, role, n);
            await RoleHost.RunAsync(builder.Build());
            return 0;
        }));
        return command;
    }
}
