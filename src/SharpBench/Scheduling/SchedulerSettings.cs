using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Sites;

namespace SharpBench.Scheduling;

/// <summary>The scheduler's config keys, checked once at start so a typo stops the role with a clear message.</summary>
public static class SchedulerSettings
{
    public const int DefaultTickSeconds = 60;
    public const int DefaultLeaseSeconds = 30;

    /// <summary><c>scheduler_tick_interval</c>: seconds between ticks (Frappe v15 default 60).</summary>
    public static TimeSpan Tick(SiteConfig config) => TimeSpan.FromSeconds(PositiveSeconds(config, "scheduler_tick_interval", DefaultTickSeconds));

    /// <summary>
    /// <c>scheduler_lease</c>: seconds the leader's lock lives without renewal, so the longest a
    /// deployment goes without a scheduler after its leader dies.
    /// </summary>
    public static TimeSpan Lease(SiteConfig config) => TimeSpan.FromSeconds(PositiveSeconds(config, "scheduler_lease", DefaultLeaseSeconds));

    /// <summary><c>scheduler_interval</c>: seconds between runs of <c>All</c> jobs (default 240); bad values fall back to it.</summary>
    public static int Interval(SiteConfig config) =>
        config.GetInt("scheduler_interval") is { } s && s >= 60 ? s : ScheduledFrequency.DefaultInterval;

    public static double PositiveSeconds(SiteConfig config, string key, int fallback)
    {
        var node = config.Values[key];
        if (node is null)
            return fallback;
        double value;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
            value = double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
        else if (node is JsonValue s && s.TryGetValue<string>(out var text) && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            value = parsed;
        else
            throw new BenchException($"{key} must be a number of seconds, not {node.ToJsonString()}.");
        if (!(value > 0) || value > 86400)
            throw new BenchException($"{key} must be between 0 and 86400 seconds, not {node.ToJsonString()}.");
        return value;
    }
}
