using SharpBench.Data;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Data;

/// <summary>
/// Site connections stay open between units of work. The pool must never hand out one the server
/// has dropped (a restart, an operator's KILL), and must keep no transaction across users.
/// </summary>
public class ConnectionPoolTests
{
    [Theory]
    [InlineData(DbKind.MariaDb)]
    [InlineData(DbKind.Postgres)]
    public async Task AConnectionTheServerDroppedIsReplacedNotHandedOut(DbKind kind)
    {
        await using var bench = new TempBench();
        var site = await bench.CreateSiteAsync(kind);
        var idQuery = kind == DbKind.MariaDb ? "SELECT CONNECTION_ID()" : "SELECT pg_backend_pid()";
        object? first;
        await using (var db = await site.OpenDatabaseAsync())
            first = await db.ScalarAsync(idQuery, []);

        // The server ends that session while it sits idle in our pool.
        await using (var root = await RootAsync(kind))
        {
            if (kind == DbKind.MariaDb)
                await root.ExecuteAsync("KILL " + Convert.ToInt64(first, System.Globalization.CultureInfo.InvariantCulture), []);
            else
                await root.ExecuteAsync("SELECT pg_terminate_backend(@p0)", [Convert.ToInt32(first, System.Globalization.CultureInfo.InvariantCulture)]);
        }
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        await using (var db = await site.OpenDatabaseAsync())
        {
            var second = await db.ScalarAsync(idQuery, []);
            Assert.NotEqual(Convert.ToString(first, System.Globalization.CultureInfo.InvariantCulture), Convert.ToString(second, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(1L, Convert.ToInt64(await db.ScalarAsync("SELECT 1", []), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task AnUnfinishedTransactionIsRolledBackBeforeTheConnectionIsReused()
    {
        await using var bench = new TempBench();
        var site = await bench.CreateSiteAsync(DbKind.MariaDb);
        var table = "tabToDo";
        await using (var db = await site.OpenDatabaseAsync())
        {
            await db.BeginAsync();
            await db.ExecuteAsync($"INSERT INTO `{table}` (name, description) VALUES ('left-open', 'never committed')", []);
            // Disposed without commit: the unit of work failed half way.
        }
        await using (var db = await site.OpenDatabaseAsync())
        {
            Assert.False(db.InTransaction);
            Assert.Equal(0L, Convert.ToInt64(await db.ScalarAsync($"SELECT COUNT(*) FROM `{table}` WHERE name = 'left-open'", []), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task IdleConnectionsAreClosedOnceTheyOutliveTheirLifetime()
    {
        await using var bench = new TempBench();
        var site = await bench.CreateSiteAsync(DbKind.Sqlite);
        var a = await site.OpenDatabaseAsync();
        var b = await site.OpenDatabaseAsync();
        await a.DisposeAsync();
        await b.DisposeAsync();
        Assert.Equal(2, ConnectionPool.IdleCount(site.Connection.ConnectionString));

        // Younger than the lifetime: kept, and still usable.
        await ConnectionPool.SweepAsync(TimeSpan.FromMinutes(1), site.Connection.ConnectionString);
        Assert.Equal(2, ConnectionPool.IdleCount(site.Connection.ConnectionString));
        await Task.Delay(50);
        await ConnectionPool.SweepAsync(TimeSpan.FromMilliseconds(10), site.Connection.ConnectionString);
        Assert.Equal(0, ConnectionPool.IdleCount(site.Connection.ConnectionString));
        // The SQLite connections really closed: the write-ahead log is checkpointed away.
        Assert.False(File.Exists(site.Connection.Describe + "-wal"));
        await using var again = await site.OpenDatabaseAsync();
        Assert.Equal(1L, Convert.ToInt64(await again.ScalarAsync("SELECT 1", []), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static Task<Database> RootAsync(DbKind kind) => kind == DbKind.MariaDb
        ? Database.OpenAsync(DbConnectionInfo.Server(kind, TestServices.MariaDbHost, TestServices.MariaDbPort, TestServices.MariaDbRootUser, TestServices.MariaDbRootPassword, null))
        : Database.OpenAsync(DbConnectionInfo.Server(kind, TestServices.PostgresHost, TestServices.PostgresPort, TestServices.PostgresRootUser, TestServices.PostgresRootPassword, null));
}
