using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>
/// The site's wall clock, as Frappe's <c>now_datetime()</c>: the host's <see cref="TimeProvider"/>
/// read in the site's time zone (System Settings <c>time_zone</c>; without one, the server's
/// zone), to the microsecond the databases keep. The scheduler reads the same setting.
/// </summary>
public sealed record SiteTime(TimeProvider Clock, TimeZoneInfo Zone)
{
    private static readonly TimeSpan ZoneTtl = TimeSpan.FromSeconds(30);

    /// <summary>The server's own zone and clock, for work outside any site (and what every timestamp used before a site names its zone).</summary>
    public static SiteTime Server { get; } = new(TimeProvider.System, TimeZoneInfo.Local);

    /// <summary>The time now, as stored in <c>creation</c>/<c>modified</c> (no zone, microseconds).</summary>
    public DateTime Now()
    {
        var local = TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Zone).DateTime;
        return new DateTime(local.Ticks - local.Ticks % 10, DateTimeKind.Unspecified);
    }

    public DateOnly Today() => DateOnly.FromDateTime(Now());

    /// <summary>The site's clock for a unit of work; the zone setting is re-read at most every 30 s per host.</summary>
    public static async Task<SiteTime> OfAsync(FrappeContext ctx, CancellationToken ct = default)
    {
        var core = ctx.Site.Host;
        var key = ctx.Site.Connection.ConnectionString;
        if (core.Zones.TryGetValue(key, out var cached) && core.Clock.GetUtcNow() - cached.ReadAt < ZoneTtl)
            return new SiteTime(core.Clock, cached.Zone);
        var zone = await ZoneAsync(await ctx.DbAsync(ct), ct);
        core.Zones[key] = (zone, core.Clock.GetUtcNow());
        return new SiteTime(core.Clock, zone);
    }

    /// <summary>System Settings <c>time_zone</c>; an unset or unknown zone is the server's (a save never fails on it).</summary>
    public static async Task<TimeZoneInfo> ZoneAsync(Database db, CancellationToken ct = default)
    {
        string? name;
        try
        {
            name = await Singles.GetAsync(db, "System Settings", "time_zone", ct);
        }
        catch (System.Data.Common.DbException)
        {
            // A database without the system tables yet (a site being installed).
            return TimeZoneInfo.Local;
        }
        if (string.IsNullOrWhiteSpace(name))
            return TimeZoneInfo.Local;
        return TimeZoneInfo.TryFindSystemTimeZoneById(name.Trim(), out var zone) ? zone : TimeZoneInfo.Local;
    }
}
