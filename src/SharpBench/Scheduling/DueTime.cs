using System.Security.Cryptography;
using System.Text;
using Cronos;

namespace SharpBench.Scheduling;

/// <summary>
/// When a Scheduled Job Type runs next. Frappe stores <c>last_execution</c> as a naive datetime in
/// the site's time zone and evaluates the cron in that zone; this does the same, but through
/// UTC instants so DST changes neither skip nor repeat a wall-clock run (see docs/compatibility.md).
/// </summary>
public static class DueTime
{
    /// <summary>The most a long job's due time is pushed back, so long jobs of many sites do not all start at once.</summary>
    public const int MaxLongJitterSeconds = 600;

    /// <summary>Parses a standard 5-field cron expression; throws <see cref="FormatException"/> with Cronos's reason.</summary>
    public static CronExpression ParseCron(string expression)
    {
        try
        {
            return CronExpression.Parse(expression.Trim(), CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new FormatException($"'{expression}' is not a valid 5-field cron expression: {e.Message}", e);
        }
    }

    /// <summary>
    /// The next run as a UTC instant, counted from <paramref name="lastLocal"/> (site-local wall time
    /// of the last run, or of the row's creation when it never ran), plus the long-job delay.
    /// </summary>
    public static DateTimeOffset Next(string frequency, string? cronFormat, DateTime lastLocal, TimeZoneInfo zone, int schedulerInterval = ScheduledFrequency.DefaultInterval, string? jitterKey = null)
    {
        var cron = ParseCron(ScheduledFrequency.CronFor(frequency, cronFormat, schedulerInterval));
        var last = ToInstant(lastLocal, zone, earliest: true);
        var next = cron.GetNextOccurrence(last, zone) ?? DateTimeOffset.MaxValue;
        if (next != DateTimeOffset.MaxValue && zone.IsAmbiguousTime(lastLocal))
        {
            // In the repeated hour of a fall-back the stored wall time cannot say which pass it was;
            // a run is never repeated for a wall-clock time that already ran.
            var wall = TimeZoneInfo.ConvertTime(next, zone).DateTime;
            if (wall <= lastLocal)
                next = cron.GetNextOccurrence(ToInstant(lastLocal, zone, earliest: false), zone) ?? DateTimeOffset.MaxValue;
        }
        if (ScheduledFrequency.IsLong(frequency) && next != DateTimeOffset.MaxValue)
            next = next.AddSeconds(LongJitter(jitterKey ?? "", next));
        return next;
    }

    public static bool IsDue(string frequency, string? cronFormat, DateTime lastLocal, TimeZoneInfo zone, DateTimeOffset now, int schedulerInterval = ScheduledFrequency.DefaultInterval, string? jitterKey = null) =>
        Next(frequency, cronFormat, lastLocal, zone, schedulerInterval, jitterKey) <= now;

    /// <summary>
    /// 1..600 s, fixed for a given job and period. Frappe draws a fresh number on every check, so
    /// a long job's due time jumps around between ticks; a stable delay still spreads the load.
    /// </summary>
    public static int LongJitter(string key, DateTimeOffset period)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key + "|" + period.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return 1 + (int)(BitConverter.ToUInt32(hash, 0) % MaxLongJitterSeconds);
    }

    /// <summary>A site-local wall time as an instant; a time in a spring-forward gap counts as the gap's end.</summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone, bool earliest = true)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var probe = local;
            while (zone.IsInvalidTime(probe))
                probe = probe.AddMinutes(1);
            return new DateTimeOffset(new DateTime(probe.Year, probe.Month, probe.Day, probe.Hour, probe.Minute, 0), zone.GetUtcOffset(probe));
        }
        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var offset = earliest ? offsets.Max() : offsets.Min();
            return new DateTimeOffset(local, offset);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>An instant as the site's naive wall time, the way Frappe stores datetimes.</summary>
    public static DateTime ToLocal(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        return new DateTime(local.Ticks - local.Ticks % 10, DateTimeKind.Unspecified);
    }
}
