using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Data;

namespace SharpBench.Tests.App;

/// <summary>The test app's scheduler events: each run leaves a marker row in the site.</summary>
public static class ScheduledMethods
{
    public const string CronTick = "sb_test_app.scheduled.cron_tick";
    public const string Hourly = "sb_test_app.scheduled.hourly";

    [FrappeMethod(CronTick)]
    public static Task<object?> OnCron(FrappeContext context, JsonObject kwargs, CancellationToken ct) => MarkAsync(context, "cron", ct);

    [FrappeMethod(Hourly)]
    public static Task<object?> OnHourly(FrappeContext context, JsonObject kwargs, CancellationToken ct) => MarkAsync(context, "hourly", ct);

    private static async Task<object?> MarkAsync(FrappeContext context, string what, CancellationToken ct)
    {
        var db = await context.DbAsync(ct);
        await JobMethods.EnsureMarkerTableAsync(db, ct);
        await db.ExecuteAsync($"INSERT INTO {db.Dialect.Quote(JobMethods.MarkerTable)} ({db.Dialect.Quote("name")}, {db.Dialect.Quote("owner")}) VALUES (@p0, @p1)",
            [$"{what}-{Guid.NewGuid():N}", context.User], ct);
        return null;
    }
}
