using System.Collections.Concurrent;
using System.Data;

namespace SharpBench.Data;

/// <summary>
/// Open site connections kept between units of work, keyed by connection string. A request
/// then costs no connect, no reset round trip and no per-connection setup (SQLite pragmas,
/// session settings): those run once when the connection is made. A connection goes back only
/// when it is healthy and its transaction is closed; one that failed is closed instead, and one
/// idle for a while is pinged before reuse, so a restarted server costs no failed request.
/// </summary>
internal static class ConnectionPool
{
    private const int MaxIdlePerDatabase = 64;
    private static readonly TimeSpan CheckAfterIdle = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<string, ConcurrentStack<Database>> Idle = new(StringComparer.Ordinal);

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

    /// <summary>Closes every idle connection (before a database or its file is dropped).</summary>
    public static void Clear()
    {
        foreach (var stack in Idle.Values)
        {
            while (stack.TryPop(out var db))
                db.CloseAsync().AsTask().GetAwaiter().GetResult();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
