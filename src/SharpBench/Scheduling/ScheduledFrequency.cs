using System.Globalization;

namespace SharpBench.Scheduling;

/// <summary>
/// Frappe's scheduler frequencies: the Select values of Scheduled Job Type, the hook keys that
/// map to them, the cron each one runs on and the queue its jobs go to.
/// </summary>
public static class ScheduledFrequency
{
    public const string All = "All";
    public const string Cron = "Cron";

    /// <summary>The Select options, in Frappe's order.</summary>
    public static readonly IReadOnlyList<string> Values =
        ["All", "Hourly", "Hourly Long", "Daily", "Daily Long", "Weekly", "Weekly Long", "Monthly", "Monthly Long", "Cron", "Yearly", "Annual"];

    /// <summary>The default seconds between <c>All</c> runs (config key <c>scheduler_interval</c>).</summary>
    public const int DefaultInterval = 240;

    /// <summary>Hook key (<c>hourly_long</c>) to frequency (<c>Hourly Long</c>); null when the key is not one Frappe knows.</summary>
    public static string? FromHookKey(string key)
    {
        var frequency = string.Join(' ', key.Split('_', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(w.ToLowerInvariant())));
        return frequency != Cron && Values.Contains(frequency) ? frequency : null;
    }

    public static bool IsLong(string frequency) => frequency.EndsWith(" Long", StringComparison.Ordinal);

    /// <summary>Long frequencies go to <c>long</c>; everything else, including All and Cron, to <c>default</c>.</summary>
    public static string Queue(string frequency) => IsLong(frequency) ? "long" : "default";

    /// <summary>The cron expression a frequency runs on; <c>Cron</c> uses the row's own cron_format.</summary>
    public static string CronFor(string frequency, string? cronFormat, int schedulerInterval = DefaultInterval) => frequency switch
    {
        "Cron" => string.IsNullOrWhiteSpace(cronFormat) ? throw new FormatException("A Cron job needs a cron_format") : cronFormat.Trim(),
        "Yearly" or "Annual" => "0 0 1 1 *",
        "Monthly" or "Monthly Long" => "0 0 1 * *",
        "Weekly" or "Weekly Long" => "0 0 * * 0",
        "Daily" or "Daily Long" => "0 0 * * *",
        "Hourly" or "Hourly Long" => "0 * * * *",
        "All" => $"*/{Math.Clamp(schedulerInterval / 60, 1, 59).ToString(CultureInfo.InvariantCulture)} * * * *",
        _ => throw new FormatException($"Unknown scheduler frequency '{frequency}'"),
    };
}
