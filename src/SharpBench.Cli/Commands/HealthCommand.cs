using System.CommandLine;
using System.Globalization;
using SharpBench.Jobs;
using SharpBench.Scheduling;
using SharpBench.Sites;
using StackExchange.Redis;

namespace SharpBench.Cli.Commands;

/// <summary>
/// <c>bench health worker|scheduler</c>: the healthcheck of a background role's container. Exit 0
/// when a process on this host (a container's host name is its own) has a fresh heartbeat in
/// <c>redis_queue</c>, else 1 with the reason on stderr. Workers beat every 5 s into their RQ
/// Worker record (kept 15 s); schedulers every third of <c>scheduler_lease</c> (kept one lease).
/// </summary>
public static class HealthCommand
{
    public static Command Create()
    {
        var command = new Command("health", "Healthcheck of a background role on this host: exit 0 when its heartbeat in redis_queue is fresh");
        command.Subcommands.Add(Role("worker", "A bench worker (or worker-pool) on this host heartbeated within 15 s", WorkerAsync));
        command.Subcommands.Add(Role("scheduler", "A bench schedule on this host (leader or standby) heartbeated within one scheduler_lease", SchedulerAsync));
        return command;
    }

    private static Command Role(string name, string description, Func<QueueSettings, Bench, Task<string>> check)
    {
        var command = new Command(name, description);
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var settings = QueueSettings.For(bench);
            if (settings.RedisQueue is null)
                throw new BenchException($"redis_queue is not set, so no {name} can heartbeat.");
            try
            {
                Console.WriteLine(await check(settings, bench));
            }
            catch (RedisException e)
            {
                throw new BenchException($"Cannot reach redis_queue {settings.RedisQueueShown}: {e.Message}");
            }
            return 0;
        }));
        return command;
    }

    private static async Task<string> WorkerAsync(QueueSettings settings, Bench bench)
    {
        var host = Environment.MachineName;
        var workers = await (await JobBackends.Outside.ForAsync(settings)).WorkersAsync();
        var fresh = workers.Where(w => w.Hostname == host && Age(w.LastHeartbeat) <= RedisJobBackend.WorkerTtl).ToList();
        if (fresh.Count == 0)
            throw new BenchException($"No worker on {host} heartbeated within {RedisJobBackend.WorkerTtl.TotalSeconds:0} s ({workers.Count} worker(s) on bench {settings.BenchId}).");
        return string.Join("\n", fresh.Select(w =>
            $"worker {w.Name} ({string.Join(",", w.Queues)}, {w.Status}): heartbeat {Age(w.LastHeartbeat).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s ago"));
    }

    private static async Task<string> SchedulerAsync(QueueSettings settings, Bench bench)
    {
        var lease = SchedulerSettings.Lease(new SiteConfig(bench.ReadCommonConfig()));
        var key = SchedulerLeadership.HeartbeatKeyFor(settings.BenchId);
        var beat = (await (await RedisConnections.Outside.QueueAsync(settings.RedisQueue!)).GetDatabase().HashGetAllAsync(key))
            .ToDictionary(e => (string)e.Name!, e => (string?)e.Value);
        var at = JobRecord.Parse(beat.GetValueOrDefault("last_heartbeat"));
        if (at is null || Age(at.Value) > lease)
            throw new BenchException($"No scheduler on {Environment.MachineName} heartbeated within {lease.TotalSeconds:0} s.");
        return $"scheduler {beat.GetValueOrDefault("owner")} ({(beat.GetValueOrDefault("leader") == "1" ? "leader" : "standby")}): heartbeat {Age(at.Value).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s ago";
    }

    private static TimeSpan Age(DateTime utc) => JobRecord.Now() - utc;
}
