using System.Collections.Concurrent;
using System.Data;

namespace SharpBench.Data;

/// <summary>
/// Open site connections kept between units of work, keyed by connection string. A request
/// then costs no connect, no reset round trip and no per-connection setup (SQLite pragmas,
/// session settings): those run once when the connection is made. A connection goes back only
/// when it is healthy and its transaction is closed; one that failed is closed instead, and one
/// idle for more than two seconds is pinged before reuse, so a database server restarted while
/// the site was quiet costs no failed request (a busy site reuses connections within
/// milliseconds and pays no ping).
/// Process-wide on purpose: it is keyed by connection string, so two benches never share a
/// connection, and a pool per host would need every <c>Site</c> to carry its host.
/// </summary>
internal static class ConnectionPool
{
    private const int MaxIdlePerDatabase = 32;
    private static readonly TimeSpan CheckAfterIdle = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Connections unused this long are closed, so a bench of many sites and processes does not
    /// sit on the database server's connection limit after a busy spell.
    /// </summary>
    internal static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(60);
    private static long _lastSweep = Environment.TickCount64;
    private static readonly ConcurrentDictionary<string, ConcurrentStack<Database>> Idle = new(StringComparer.Ordinal);

    public static async Task<Database?> RentAsync(DbConnectionInfo info, CancellationToken ct)
    {
        if (!Idle.TryGetValue(info.ConnectionString, out var stack))
            return null;
        while (stack.TryPop(out var db))
        {
            if (db.Connection.State == ConnectionState.Open
                && (TimeProvider.System.GetUtcNow().UtcDateTime - db.ReturnedAt < CheckAfterIdle || await db.PingAsync(ct)))
                return db;
            await db.CloseAsync();
        }
        return null;
    }

    /// <summary>Takes a connection back; false when the caller must close it instead.</summary>
    public static bool Return(Database db)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastSweep);
        // Closing connections is I/O: the sweep runs beside the request that noticed it is due.
        if (now - last > 10_000 && Interlocked.CompareExchange(ref _lastSweep, now, last) == last)
            _ = Task.Run(() => SweepAsync(IdleLifetime));
        if (db.Connection.State != ConnectionState.Open || db.InTransaction)
            return false;
        var stack = Idle.GetOrAdd(db.Key, _ => new ConcurrentStack<Database>());
        if (stack.Count >= MaxIdlePerDatabase)
            return false;
        db.ReturnedAt = TimeProvider.System.GetUtcNow().UtcDateTime;
        stack.Push(db);
        return true;
    }

    /// <summary>Closes the idle connections unused for longer than <paramref name="olderThan"/> (of one database when <paramref name="key"/> is given).</summary>
    internal static async Task SweepAsync(TimeSpan olderThan, string? key = null)
    {
        var cutoff = TimeProvider.System.GetUtcNow().UtcDateTime - olderThan;
        foreach (var (k, stack) in Idle)
        {
            if (key is not null && k != key)
                continue;
            var all = new Database[stack.Count + 8];
            var n = stack.TryPopRange(all);
            var keep = new List<Database>(n);
            for (var i = 0; i < n; i++)
            {
                if (all[i].ReturnedAt < cutoff)
                    await all[i].CloseAsync();
                else
                    keep.Add(all[i]);
            }
            // TryPopRange gave the most recent first; push the oldest first to keep that order.
            keep.Reverse();
            if (keep.Count > 0)
                stack.PushRange([.. keep]);
        }
    }

    internal static int IdleCount(string key) => Idle.TryGetValue(key, out var stack) ? stack.Count : 0;

    /// <summary>
    /// Closes the idle connections whose connection string contains <paramref name="scope"/> (all
    /// when null). Synchronous (drop-site and tests call it between steps): each provider's own
    /// synchronous close, never a wait on an asynchronous one.
    /// </summary>
    public static void Clear(string? scope)
    {
        foreach (var (key, stack) in Idle)
        {
            if (scope is not null && !key.Contains(scope, StringComparison.Ordinal))
                continue;
            while (stack.TryPop(out var db))
                db.Close();
        }
    }
}
