using System.Text.Json.Nodes;
using SharpBench.Sites;

namespace SharpBench.Jobs;

/// <summary>
/// The bench's job queues and their settings, read from common config as Frappe reads them:
/// <c>short</c>, <c>default</c>, <c>long</c> (300/300/1500 s), then each key of <c>workers</c>
/// (a key named like a built-in queue overrides it). The order is the default worker priority.
/// </summary>
public sealed class QueueSettings
{
    public static readonly IReadOnlyList<(string Name, int Timeout)> BuiltIn = [("short", 300), ("default", 300), ("long", 1500)];

    public const int DefaultResultsTtl = 600;
    public const int DefaultFailureTtl = 7 * 24 * 3600;
    public const int DefaultFailedJobsLimit = 1000;

    private readonly SiteConfig _config;
    private readonly string? _configuredRedisQueue;

    private QueueSettings(SiteConfig config, string benchId, IReadOnlyList<(string Name, int Timeout)> queues, int resultsTtl, int failureTtl, string? redisQueue, int reclaimGrace, int failedJobsLimit)
    {
        _config = config;
        _configuredRedisQueue = redisQueue;
        FailedJobsLimit = failedJobsLimit;
        ReclaimGrace = TimeSpan.FromSeconds(reclaimGrace);
        BenchId = benchId;
        Queues = queues;
        ResultsTtl = resultsTtl;
        FailureTtl = failureTtl;
        RedisQueue = redisQueue is null ? null : RedisQueueLogin.Apply(redisQueue, config, benchId);
    }

    /// <summary>Prefix of every Redis key of this bench, so benches can share one Redis.</summary>
    public string BenchId { get; }

    /// <summary>Known queues in default priority order, with their default timeout in seconds.</summary>
    public IReadOnlyList<(string Name, int Timeout)> Queues { get; }

    public IEnumerable<string> QueueNames => Queues.Select(q => q.Name);

    public int ResultsTtl { get; }

    /// <summary>
    /// <c>worker_reclaim_grace</c> (s, default 30): how long the queue entry of a worker that stopped
    /// heartbeating waits before another worker takes it over (see <see cref="RedisScripts.Reclaim"/>).
    /// </summary>
    public TimeSpan ReclaimGrace { get; }
    public int FailureTtl { get; }

    /// <summary><c>rq_failed_jobs_limit</c> (default 1000): failed jobs kept per queue; older ones are deleted.</summary>
    public int FailedJobsLimit { get; }

    /// <summary>
    /// <c>redis_queue_timeout</c> (seconds, fractions allowed, default 1): the longest an enqueue waits
    /// for <c>redis_queue</c> while it is unreachable, hung or loading its data before it fails
    /// with a 503 (see <see cref="BoundedEnqueue"/>).
    /// </summary>
    public TimeSpan EnqueueTimeout => _config.Values["redis_queue_timeout"] switch
    {
        System.Text.Json.Nodes.JsonValue v when v.TryGetValue<double>(out var s) && s > 0 => TimeSpan.FromSeconds(s),
        System.Text.Json.Nodes.JsonValue v when v.TryGetValue<string>(out var t) && double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 => TimeSpan.FromSeconds(s),
        _ => DefaultEnqueueTimeout,
    };

    public static readonly TimeSpan DefaultEnqueueTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The <c>redis_queue</c> URL with the login of <see cref="RedisQueueLogin"/> in it, or null for
    /// the in-process queue of <c>bench start</c>. It may hold a password: show
    /// <see cref="RedisQueueShown"/> instead.
    /// </summary>
    public string? RedisQueue { get; private set; }

    /// <summary>
    /// <c>use_rq_auth</c>: the login is the bench's ACL user from <c>bench create-rq-users</c>, which
    /// (as in Frappe) may not run admin commands such as <c>CONFIG</c>.
    /// </summary>
    public bool UsesRqAuth => _config.GetBool("use_rq_auth");

    /// <summary><see cref="RedisQueue"/> without its password, for messages and logs.</summary>
    public string? RedisQueueShown => RedisQueue is null ? null : Data.RedisUrl.WithoutPassword(RedisQueue);

    /// <summary>
    /// These settings with <c>bench worker -u/-p</c> applied. As in Frappe they count only under
    /// <c>use_rq_auth</c>; a blank one keeps the configured value.
    /// </summary>
    public QueueSettings WithRqCredentials(string? username, string? password)
    {
        if (_configuredRedisQueue is null || (string.IsNullOrEmpty(username) && string.IsNullOrEmpty(password)))
            return this;
        var copy = (QueueSettings)MemberwiseClone();
        copy.RedisQueue = RedisQueueLogin.Apply(_configuredRedisQueue, _config, BenchId, username, string.IsNullOrEmpty(password) ? null : password);
        return copy;
    }

    /// <summary>Settings as the bench's own roles see them: common config, with Frappe's FRAPPE_* overrides (e.g. FRAPPE_REDIS_QUEUE).</summary>
    public static QueueSettings For(Bench bench) => From(bench.Root, bench.CommonConfig());

    /// <summary>Settings as a site sees them (its config merged over the common config).</summary>
    public static QueueSettings For(Site site) => From(site.BenchRoot, site.Config);

    public static QueueSettings From(string benchRoot, SiteConfig config)
    {
        var queues = BuiltIn.ToList();
        if (config.Values["workers"] is JsonObject workers)
        {
            foreach (var (name, value) in workers)
            {
                // As in Frappe, an entry without a timeout gets 300 s, even when it overrides `long`.
                var timeout = value is JsonObject o && new SiteConfig(o).GetInt("timeout") is { } t && t > 0 ? t : 300;
                var at = queues.FindIndex(q => q.Name == name);
                if (at >= 0)
                    queues[at] = (name, timeout);
                else
                    queues.Add((name, timeout));
            }
        }
        return new QueueSettings(
            config,
            RedisQueueLogin.BenchId(benchRoot, config),
            queues,
            config.GetInt("rq_results_ttl") ?? DefaultResultsTtl,
            config.GetInt("rq_job_failure_ttl") ?? DefaultFailureTtl,
            config.GetString("redis_queue") is { Length: > 0 } url ? url : null,
            config.GetInt("worker_reclaim_grace") is > 0 and var grace ? grace : 30,
            config.GetInt("rq_failed_jobs_limit") is >= 0 and var limit ? limit : DefaultFailedJobsLimit);
    }

    /// <summary>Frappe's rule: the absolute bench path without outer slashes, '/' replaced by '-'.</summary>
    public bool IsKnown(string queue) => Queues.Any(q => q.Name == queue);

    public int TimeoutOf(string queue) => Queues.First(q => q.Name == queue).Timeout;

    /// <summary>Checks a queue name, with Frappe's message for an unknown one.</summary>
    public void Validate(string queue)
    {
        if (!IsKnown(queue))
            throw new ValidationError($"Queue should be one of {string.Join(", ", QueueNames)}");
    }

    /// <summary>Parses <c>--queue q1,q2</c>; no value means every queue in the default order.</summary>
    public IReadOnlyList<string> ParseQueueList(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
            return QueueNames.ToList();
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        foreach (var name in names)
        {
            if (!IsKnown(name))
                throw new BenchException($"Unknown queue {name}: queues are {string.Join(", ", QueueNames)} (add custom ones under \"workers\" in common_site_config.json).");
        }
        return names;
    }
}
