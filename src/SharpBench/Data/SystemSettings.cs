namespace SharpBench.Data;

/// <summary>
/// The System Settings values the scheduler reads and writes. System Settings is a Single, so
/// each value is a row of <c>tabSingles</c> (read and written through <see cref="Singles"/>), where Frappe keeps it too.
/// </summary>
public static class SystemSettings
{
    public const string DocType = "System Settings";

    public static Task<string?> GetAsync(Database db, string field, CancellationToken ct = default) =>
        Singles.GetAsync(db, DocType, field, ct);

    public static Task SetAsync(Database db, string field, string? value, CancellationToken ct = default) =>
        Singles.SetAsync(db, DocType, field, value, ct);

    public static async Task<bool> SchedulerEnabledAsync(Database db, CancellationToken ct = default) =>
        await GetAsync(db, "enable_scheduler", ct) is { } v && v.Trim() is "1" or "true" or "True";

    /// <summary>
    /// The site's time zone (System Settings <c>time_zone</c>, an IANA name). Without one, the
    /// server's zone: the one every other timestamp of the site (creation, modified) is written in.
    /// </summary>
    public static async Task<TimeZoneInfo> TimeZoneAsync(Database db, CancellationToken ct = default) =>
        ResolveZone(await GetAsync(db, "time_zone", ct));

    public static TimeZoneInfo ResolveZone(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return TimeZoneInfo.Local;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new BenchException($"System Settings time_zone '{name}' is not a known time zone (use an IANA name such as Asia/Kolkata).");
        }
    }
}
