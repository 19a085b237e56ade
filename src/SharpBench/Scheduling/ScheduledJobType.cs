using System.Globalization;
using SharpBench.Data;

namespace SharpBench.Scheduling;

/// <summary>One row of the Scheduled Job Type DocType: a method the scheduler runs on a frequency.</summary>
public sealed record ScheduledJobType(
    string Name,
    string Method,
    string Frequency,
    string? CronFormat,
    bool Stopped,
    bool CreateLog,
    DateTime? LastExecution,
    DateTime Creation,
    string? ServerScript)
{
    public const string DocType = "Scheduled Job Type";
    public const string Table = "tabScheduled Job Type";
    public const string LogDocType = "Scheduled Job Log";
    public const string LogTable = "tabScheduled Job Log";

    /// <summary>Frappe writes a log for every run except the frequent <c>All</c> jobs (unless asked).</summary>
    public bool WritesLog => CreateLog || Frequency != ScheduledFrequency.All;

    /// <summary>The per-site job id that keeps a job from being queued again while queued or running.</summary>
    public string JobId => "scheduled_job::" + Name;

    public string Queue => ScheduledFrequency.Queue(Frequency);

    public DateTimeOffset NextExecution(TimeZoneInfo zone, int schedulerInterval, string site) =>
        DueTime.Next(Frequency, CronFormat, LastExecution ?? Creation, zone, schedulerInterval, site + "|" + Name);

    private static readonly string[] ColumnNames = ["name", "method", "frequency", "cron_format", "stopped", "create_log", "last_execution", "creation", "server_script"];

    private static string Columns(SqlDialect d) => string.Join(", ", ColumnNames.Select(d.Quote));

    public static async Task<List<ScheduledJobType>> LoadAllAsync(Database db, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var rows = await db.QueryAsync($"SELECT {Columns(d)} FROM {d.Quote(Table)} ORDER BY {d.Quote("name")}", [], ct);
        return rows.Select(FromRow).ToList();
    }

    public static async Task<ScheduledJobType?> FindAsync(Database db, string nameOrMethod, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var rows = await db.QueryAsync(
            $"SELECT {Columns(d)} FROM {d.Quote(Table)} WHERE {d.Quote("name")} = @p0 OR {d.Quote("method")} = @p0 ORDER BY {d.Quote("name")}",
            [nameOrMethod], ct);
        return rows.Select(FromRow).OrderByDescending(r => r.Name == nameOrMethod).FirstOrDefault();
    }

    private static ScheduledJobType FromRow(Dictionary<string, object?> r) => new(
        (string)r["name"]!,
        Convert.ToString(r["method"], CultureInfo.InvariantCulture) ?? "",
        Convert.ToString(r["frequency"], CultureInfo.InvariantCulture) ?? "",
        r["cron_format"] is { } c && Convert.ToString(c, CultureInfo.InvariantCulture) is { Length: > 0 } cron ? cron : null,
        Truthy(r["stopped"]),
        Truthy(r["create_log"]),
        ReadTime(r["last_execution"]),
        ReadTime(r["creation"]) ?? DateTime.MinValue,
        r["server_script"] is { } s && Convert.ToString(s, CultureInfo.InvariantCulture) is { Length: > 0 } script ? script : null);

    internal static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s is "1" or "true",
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
    };

    /// <summary>Datetimes come back as DateTime from MariaDB/PostgreSQL and as Frappe's text format from SQLite.</summary>
    internal static DateTime? ReadTime(object? value) => value switch
    {
        null => null,
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Unspecified),
        string s when s.Length > 0 => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.None),
        _ => null,
    };
}
