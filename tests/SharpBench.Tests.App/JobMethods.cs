using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Data;
using SharpBench.Jobs;
using SharpBench.Model;

namespace SharpBench.Tests.App;

/// <summary>
/// Methods the job tests enqueue. Side effects go to files named by the caller (to see every
/// start, even of runs that were killed) or to a table in the site (to see what committed).
/// </summary>
public static class JobMethods
{
    public const string MarkerTable = "tabJob Test Marker";

    [FrappeMethod("sb_test_app.jobs.noop")]
    public static Task<object?> Noop(FrappeContext context, JsonObject kwargs, CancellationToken ct) => Task.FromResult<object?>(null);

    /// <summary>Returns who and where it ran, and its arguments.</summary>
    [FrappeMethod("sb_test_app.jobs.echo")]
    public static Task<object?> Echo(FrappeContext context, JsonObject kwargs, CancellationToken ct) =>
        Task.FromResult<object?>(new JsonObject { ["user"] = context.User, ["site"] = context.Site.Name, ["kwargs"] = kwargs.DeepClone() });

    /// <summary>Appends "tag user" to kwargs.file; sleeps kwargs.sleep_ms first when given.</summary>
    [FrappeMethod("sb_test_app.jobs.log")]
    public static async Task<object?> Log(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        if (kwargs["sleep_ms"] is JsonValue sleep)
            await Task.Delay(sleep.GetValue<int>(), ct);
        // Jobs of one worker process (a pool, or --concurrency) append at the same time, and .NET
        // refuses a second writer on an open file.
        await LogGate.WaitAsync(ct);
        try
        {
            await File.AppendAllTextAsync((string)kwargs["file"]!, $"{(string?)kwargs["tag"]} {context.User}\n", ct);
        }
        finally
        {
            LogGate.Release();
        }
        return (string?)kwargs["tag"];
    }

    private static readonly SemaphoreSlim LogGate = new(1, 1);

    /// <summary>
    /// Idempotent work: notes each start in kwargs.file, waits kwargs.sleep_ms, then writes one row
    /// keyed by kwargs.key in the site database (skipped when the row exists), committed with the job.
    /// </summary>
    [FrappeMethod("sb_test_app.jobs.record")]
    public static async Task<object?> Record(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        if (kwargs["file"] is JsonValue file)
            await File.AppendAllTextAsync((string)file!, $"start {Environment.ProcessId}\n", ct);
        if (kwargs["sleep_ms"] is JsonValue sleep)
            await Task.Delay(sleep.GetValue<int>(), ct);
        var db = await context.DbAsync(ct);
        await EnsureMarkerTableAsync(db, ct);
        var key = (string)kwargs["key"]!;
        var table = db.Dialect.Quote(MarkerTable);
        if (await db.ScalarAsync($"SELECT {db.Dialect.Quote("name")} FROM {table} WHERE {db.Dialect.Quote("name")} = @p0", [key], ct) is null)
            await db.ExecuteAsync($"INSERT INTO {table} ({db.Dialect.Quote("name")}, {db.Dialect.Quote("owner")}) VALUES (@p0, @p1)", [key, context.User], ct);
        return key;
    }

    [FrappeMethod("sb_test_app.jobs.fail")]
    public static Task<object?> Fail(FrappeContext context, JsonObject kwargs, CancellationToken ct) =>
        throw new InvalidOperationException("boom: " + (string?)kwargs["why"]);

    /// <summary>Never returns and ignores cancellation, like a job stuck in a blocking call.</summary>
    [FrappeMethod("sb_test_app.jobs.hang")]
    public static async Task<object?> Hang(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, CancellationToken.None);
        return null;
    }

    /// <summary>Fails with a retryable error until it has been tried kwargs.fail_times times (counted in kwargs.file).</summary>
    [FrappeMethod("sb_test_app.jobs.flaky")]
    public static async Task<object?> Flaky(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var file = (string)kwargs["file"]!;
        await File.AppendAllTextAsync(file, $"try {context.User}\n", ct);
        var tries = (await File.ReadAllLinesAsync(file, ct)).Length;
        if (tries <= kwargs["fail_times"]!.GetValue<int>())
            throw new RetryBackgroundJobException($"locked (try {tries})");
        return tries;
    }

    /// <summary>
    /// A job callback: commits a marker row "success|{job_id}|{result}" or "failure|{job_id}|{first
    /// line of exc_info}" owned by the user it runs as; throws instead when the job's kwargs say so.
    /// </summary>
    [FrappeMethod("sb_test_app.jobs.callback")]
    public static async Task<object?> Callback(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var job = (JsonObject)kwargs["job"]!;
        var kind = kwargs.ContainsKey("result") ? "success" : "failure";
        if (JsonNode.Parse((string)job["arguments"]!)?["callback_throws"] is JsonValue v && v.GetValue<bool>())
            throw new InvalidOperationException($"{kind} callback refused");
        var detail = kind == "success" ? kwargs["result"]?.ToJsonString() ?? "null" : ((string?)kwargs["exc_info"] ?? "").Split('\n')[0];
        var name = $"{kind}|{((string)job["job_id"]!).Split("::")[1]}|{detail}";
        var db = await context.DbAsync(ct);
        await EnsureMarkerTableAsync(db, ct);
        await db.ExecuteAsync($"INSERT INTO {db.Dialect.Quote(MarkerTable)} ({db.Dialect.Quote("name")}, {db.Dialect.Quote("owner")}) VALUES (@p0, @p1)",
            [name.Length <= 140 ? name : name[..140], context.User], ct);
        return null;
    }

    /// <summary>What a document hook does: enqueue follow-up work on the long queue (kwargs passed on).</summary>
    [FrappeMethod("sb_test_app.jobs.enqueue_long")]
    public static async Task<object?> EnqueueLong(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var result = await BackgroundJobs.EnqueueAsync(context, "sb_test_app.jobs.record", kwargs, new EnqueueOptions { Queue = "long" }, ct);
        return result.JobId;
    }

    /// <summary>A web request that enqueues follow-up work (kwargs passed on to <c>log</c>); returns the job id.</summary>
    [Whitelist("sb_test_app.jobs.enqueue_from_web")]
    public static async Task<object?> EnqueueFromWeb(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var result = await BackgroundJobs.EnqueueAsync(context, "sb_test_app.jobs.log", kwargs, new EnqueueOptions { EnqueueAfterCommit = true }, ct);
        return result.JobId;
    }

    /// <summary>A web request (GET allowed) that enqueues a no-op job at once, not after commit; returns the job id.</summary>
    [Whitelist("sb_test_app.jobs.enqueue_now_from_web")]
    public static async Task<object?> EnqueueNowFromWeb(FrappeContext context, JsonObject kwargs, CancellationToken ct) =>
        (await BackgroundJobs.EnqueueAsync(context, "sb_test_app.jobs.noop", kwargs, null, ct)).JobId;

    /// <summary>
    /// A web write that saves the marker row kwargs.key and enqueues a no-op job in the same request;
    /// with kwargs.job_id the job is deduplicated under that id. Returns the enqueue's outcome.
    /// </summary>
    [Whitelist("sb_test_app.jobs.insert_and_enqueue")]
    public static async Task<object?> InsertAndEnqueue(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var db = await context.DbAsync(ct);
        await db.ExecuteAsync($"INSERT INTO {db.Dialect.Quote(MarkerTable)} ({db.Dialect.Quote("name")}, {db.Dialect.Quote("owner")}) VALUES (@p0, @p1)",
            [(string)kwargs["key"]!, context.User], ct);
        var options = kwargs["job_id"] is JsonValue id ? new EnqueueOptions { JobId = (string)id!, Deduplicate = true } : null;
        return (await BackgroundJobs.EnqueueAsync(context, "sb_test_app.jobs.noop", new { }, options, ct)).Outcome.ToString();
    }

    public const string RowTable = "tabJob Test Row";

    /// <summary>
    /// Work that is not idempotent: inserts one more row for kwargs.key (and this process id) each
    /// time it runs, so a second run of the same job shows as a duplicate key.
    /// </summary>
    [FrappeMethod("sb_test_app.jobs.insert_row")]
    public static async Task<object?> InsertRow(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var db = await context.DbAsync(ct);
        await db.ExecuteAsync($"INSERT INTO {db.Dialect.Quote(RowTable)} ({db.Dialect.Quote("name")}, {db.Dialect.Quote("row_key")}, {db.Dialect.Quote("pid")}) VALUES (@p0, @p1, @p2)",
            [Guid.NewGuid().ToString("N"), (string)kwargs["key"]!, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)], ct);
        return null;
    }

    /// <summary>Creates the table of <see cref="InsertRow"/> (before the jobs run: DDL commits on MariaDB).</summary>
    public static async Task EnsureRowTableAsync(Database db, CancellationToken ct) =>
        await db.ExecuteAsync(db.Dialect.CreateTable(RowTable,
            [new ColumnSpec("name", ColumnKind.Varchar, 40, NotNull: true), new ColumnSpec("row_key", ColumnKind.Varchar, 140), new ColumnSpec("pid", ColumnKind.Varchar, 20)], "name"), [], ct);

    public static async Task EnsureMarkerTableAsync(Database db, CancellationToken ct)
    {
        if ((await db.Dialect.ColumnsAsync(db, MarkerTable, ct)).Count > 0)
            return;
        await db.ExecuteAsync(db.Dialect.CreateTable(MarkerTable,
            [new ColumnSpec("name", ColumnKind.Varchar, 140, NotNull: true), new ColumnSpec("owner", ColumnKind.Varchar, 140)], "name"), [], ct);
    }
}
