using System.CommandLine;
using SharpBench.Jobs;
using SharpBench.Sites;
using Spectre.Console;

namespace SharpBench.Cli.Commands;

/// <summary><c>bench doctor</c>: the workers, the queue lengths, and the selected sites' failed jobs.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Show background workers, queue lengths and failed jobs");
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var settings = QueueSettings.For(bench);
            if (settings.RedisQueue is null)
            {
                Console.WriteLine("redis_queue is not set: jobs run inside bench start (in-process), which this command cannot see. Set redis_queue to run bench worker.");
                return 0;
            }
            var backend = await JobBackends.Outside.ForAsync(settings);
            // Piped into a log or a script, ids must not be wrapped at 80 columns.
            if (Console.IsOutputRedirected)
                AnsiConsole.Profile.Width = 250;
            var queues = settings.QueueNames.ToList();
            IReadOnlyList<WorkerInfo> workers;
            IReadOnlyList<QueueCounts> counts;
            try
            {
                workers = await backend.WorkersAsync(ct);
                counts = await backend.CountsAsync(queues, ct);
            }
            catch (StackExchange.Redis.RedisException e)
            {
                throw new BenchException($"Cannot reach redis_queue {settings.RedisQueueShown}: {e.Message}");
            }

            if ((await QueuePersistence.CheckAsync(settings)).Warning(settings.RedisQueueShown!) is { } persistence)
                Console.WriteLine("Warning: " + persistence);

            var workerTable = new Table().Title($"Workers ({workers.Count}) on bench {Markup.Escape(settings.BenchId)}")
                .AddColumns("Worker", "Status", "Queues", "Pid", "Current jobs", "Finished", "Failed", "Last heartbeat (UTC)");
            foreach (var w in workers)
            {
                workerTable.AddRow(Markup.Escape(w.Name), w.Status, Markup.Escape(string.Join(",", w.Queues)), w.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join(" ", w.CurrentJobIds)), w.SuccessfulJobCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    w.FailedJobCount.ToString(System.Globalization.CultureInfo.InvariantCulture), JobRecord.Format(w.LastHeartbeat)[..19]);
            }
            AnsiConsole.Write(workerTable);

            var queueTable = new Table().Title("Queues").AddColumns("Queue", "Timeout (s)", "Queued", "Started");
            foreach (var c in counts)
                queueTable.AddRow(Markup.Escape(c.Queue), settings.TimeoutOf(c.Queue).ToString(System.Globalization.CultureInfo.InvariantCulture), c.Queued.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Started.ToString(System.Globalization.CultureInfo.InvariantCulture));
            AnsiConsole.Write(queueTable);

            var sites = parse.GetValue(CliContext.SiteOption) is null && Environment.GetEnvironmentVariable("FRAPPE_SITE") is null && bench.DefaultSite is null
                ? bench.Sites
                : CliContext.SelectedSites(parse, bench);
            foreach (var site in sites)
            {
                var failed = (await backend.ListAsync(site, ct)).Where(j => j.Status == JobStatus.Failed).ToList();
                var failedTable = new Table().Title($"Failed jobs of {Markup.Escape(site)} ({failed.Count})").AddColumns("Job", "Method", "Queue", "Ended (UTC)", "Error");
                foreach (var j in failed.Take(50))
                {
                    failedTable.AddRow(Markup.Escape(j.UserJobId), Markup.Escape(j.Method), Markup.Escape(j.Queue), j.EndedAt is { } e ? JobRecord.Format(e)[..19] : "",
                        Markup.Escape((j.ExcInfo ?? "").Split('\n', 2)[0]));
                }
                AnsiConsole.Write(failedTable);
            }
            return 0;
        }));
        return command;
    }
}
