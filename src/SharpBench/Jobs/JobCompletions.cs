using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Jobs;

/// <summary>
/// Exactly-once for a job's database work. A worker killed after the job's transaction committed
/// but before Redis heard of it leaves the queue entry pending, and another worker runs it again.
/// So a job that used the site database records its completion in the table <c>__Job Completion</c>
/// of that database, in the same transaction as its own writes; a redelivered entry whose record
/// exists is acknowledged as finished without running. The record is keyed by the queue entry
/// (stream, entry id, job id), not by the job id, so enqueueing the same job_id again still runs.
/// Records live for the job's TTL (<see cref="Keep"/>) and are deleted in bulk, at most once a
/// minute per site. Effects outside the database (mail, files, HTTP calls) stay at-least-once.
/// </summary>
public static class JobCompletions
{
    public const string Table = "__Job Completion";
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    // Process-wide on purpose: keyed by the site's connection string, so two benches never share
    // an entry, and what they remember (a table exists, when it was last swept) is true for every host.
    private static readonly ConcurrentDictionary<string, Task> Ensured = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, long> LastSweep = new(StringComparer.Ordinal);

    private static readonly ColumnSpec[] Columns =
    [
        new("name", ColumnKind.Varchar, 64, NotNull: true),
        new("job_id", ColumnKind.Varchar, 255),
        new("expires_at", ColumnKind.Datetime, NotNull: true),
    ];

    /// <summary>The record's key: one per enqueue (queue entry), the same for every redelivery of it; null for in-process jobs.</summary>
    public static string? KeyOf(JobRecord job) =>
        job.Stream is null || job.Entry is null
            ? null
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(job.Stream + "|" + job.Entry + "|" + job.Id)));

    /// <summary>
    /// How long a record is kept: past every redelivery a live worker would make (a dead worker's
    /// entry is reclaimed after the grace; a stuck one's after its timeout plus the grace), and at
    /// least as long as the job's own finished record (<c>rq_results_ttl</c>).
    /// </summary>
    public static TimeSpan Keep(JobRecord job, QueueSettings settings) =>
        TimeSpan.FromSeconds(Math.Max(settings.ResultsTtl, job.Timeout + 2 * settings.ReclaimGrace.TotalSeconds + 60));

    /// <summary>Creates the table once per site and process; call it before the job's transaction opens (SQLite's write lock, MariaDB's implicit commit).</summary>
    public static Task EnsureTableAsync(Site site, CancellationToken ct) =>
        Ensured.GetOrAdd(site.Connection.ConnectionString, _ => CreateAsync(site, ct));

    private static async Task CreateAsync(Site site, CancellationToken ct)
    {
        try
        {
            // Its own connection: DDL commits implicitly on MariaDB, so never inside the job's transaction.
            await using var db = await site.OpenDatabaseAsync(ct);
            var d = db.Dialect;
            await db.ExecuteAsync(d.CreateTable(Table, Columns, "name"), [], ct);
            var index = d.IndexName(Table, "expires_at", unique: false);
            if (!(await d.IndexesAsync(db, Table, ct)).Contains(index))
                await db.ExecuteAsync(d.CreateIndex(Table, index, ["expires_at"], unique: false), [], ct);
        }
        catch
        {
            Ensured.TryRemove(site.Connection.ConnectionString, out _);
            throw;
        }
    }

    /// <summary>Whether a run of this queue entry already committed (checked for redeliveries only).</summary>
    public static async Task<bool> IsRecordedAsync(Site site, string key, CancellationToken ct)
    {
        await EnsureTableAsync(site, ct);
        await using var db = await site.OpenDatabaseAsync(ct);
        return await db.ScalarAsync($"SELECT 1 FROM {db.Dialect.Quote(Table)} WHERE {db.Dialect.Quote("name")} = @p0", [key], ct) is not null;
    }

    /// <summary>
    /// Writes the record in the job's open transaction, just before it commits. Throws
    /// <see cref="JobAlreadyCompletedException"/> when another run of the same entry committed first (the
    /// primary key makes the two wait for each other, then refuses the second).
    /// </summary>
    public static async Task RecordAsync(FrappeContext context, JobRecord job, string key, TimeSpan keep, CancellationToken ct)
    {
        await EnsureTableAsync(context.Site, ct);
        var db = await context.DbAsync(ct);
        try
        {
            await db.ExecuteAsync($"INSERT INTO {db.Dialect.Quote(Table)} ({db.Dialect.Quote("name")}, {db.Dialect.Quote("job_id")}, {db.Dialect.Quote("expires_at")}) VALUES (@p0, @p1, @p2)",
                [key, job.Id.Length <= 255 ? job.Id : job.Id[..255], TimeProvider.System.GetUtcNow().UtcDateTime + keep], ct);
        }
        catch (DbException e)
        {
            if (await IsRecordedElsewhereAsync(context.Site, key))
                throw new JobAlreadyCompletedException(e);
            throw;
        }
    }

    private static async Task<bool> IsRecordedElsewhereAsync(Site site, string key)
    {
        try
        {
            return await IsRecordedAsync(site, key, CancellationToken.None);
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <summary>Deletes expired records of the site, at most once a minute per site and process.</summary>
    /// <param name="force">Sweep now, whenever the last sweep was.</param>
    public static async Task SweepAsync(Site site, CancellationToken ct, bool force = false)
    {
        var now = Environment.TickCount64;
        var key = site.Connection.ConnectionString;
        var last = LastSweep.GetOrAdd(key, long.MinValue / 2);
        if (!force && (now - last < SweepEvery.TotalMilliseconds || !LastSweep.TryUpdate(key, now, last)))
            return;
        await EnsureTableAsync(site, ct);
        await using var db = await site.OpenDatabaseAsync(ct);
        await db.ExecuteAsync($"DELETE FROM {db.Dialect.Quote(Table)} WHERE {db.Dialect.Quote("expires_at")} < @p0", [TimeProvider.System.GetUtcNow().UtcDateTime], ct);
    }
}

/// <summary>Another run of the same queue entry committed first; this run's work was rolled back.</summary>
public sealed class JobAlreadyCompletedException(Exception inner) : Exception("Another run of this job already committed.", inner);
