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
/// </summary>
internal static class ConnectionPool
{
    private const int MaxIdlePerDatabase = 64;
    private static readonly TimeSpan CheckAfterIdle = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<string, ConcurrentStack<Database>> Idle = new(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Slots = new(StringComparer.Ordinal);
    public static int MaxActive { get; set; } = int.TryParse(Environment.GetEnvironmentVariable("SB_DB_MAX_ACTIVE"), out var n) ? n : 0;

    /// <summary>Waits for one of the active-connection slots of that database; false when none came in time.</summary>
    public static async Task<bool> EnterAsync(string key, CancellationToken ct)
    {
        if (MaxActive <= 0)
            return false;
        var sem = Slots.GetOrAdd(key, _ => new SemaphoreSlim(MaxActive, MaxActive));
        return await sem.WaitAsync(TimeSpan.FromMilliseconds(200), ct);
    }

    public static void Leave(string key)
    {
        if (Slots.TryGetValue(key, out var sem))
            sem.Release();
    }

    public static async Task<Database?> RentAsync(DbConnectionInfo info, CancellationToken ct)
    {
        if (!Idle.TryGetValue(info.ConnectionString, out var stack))
            return null;
        while (stack.TryPop(out var db))
        {
            if (db.Connection.State == ConnectionState.Open
                && (DateTime.UtcNow - db.ReturnedAt < CheckAfterIdle || await db.PingAsync(ct)))
                return db;
            await db.CloseAsync();
        }
        return null;
    }

    /// <summary>Takes a connection back; false when the caller must close it instead.</summary>
    public static bool Return(Database db)
    {
        if (db.Connection.State != ConnectionState.Open || db.InTransaction)
            return false;
        var stack = Idle.GetOrAdd(db.Key, _ => new ConcurrentStack<Database>());
        if (stack.Count >= MaxIdlePerDatabase)
            return false;
        db.ReturnedAt = DateTime.UtcNow;
        stack.Push(db);
        return true;
    }

    /// <summary>Closes the idle connections whose connection string contains <paramref name="scope"/> (all when null).</summary>
    public static void Clear(string? scope)
    {
        foreach (var (key, stack) in Idle)
        {
            if (scope is not null && !key.Contains(scope, StringComparison.Ordinal))
                continue;
            while (stack.TryPop(out var db))
                db.CloseAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
