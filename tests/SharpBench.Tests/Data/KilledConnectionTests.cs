using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Data;

/// <summary>
/// The database server closes the site's pooled connections (MariaDB <c>KILL</c>, PostgreSQL
/// <c>pg_terminate_backend</c>, as a restart or a proxy's idle cut does): requests heal on a new
/// connection instead of failing, and a connection lost at COMMIT is reported as an unknown outcome.
/// </summary>
public sealed class KilledConnectionTests
{
    /// <summary>Closes every connection to the site's database but the killer's own; returns how many.</summary>
    internal static async Task<int> KillSiteConnectionsAsync(Site site)
    {
        var kind = site.Connection.Kind;
        var dbName = site.Config.GetString("db_name")!;
        var info = kind == DbKind.MariaDb
            ? DbConnectionInfo.Server(kind, TestServices.MariaDbHost, TestServices.MariaDbPort, TestServices.MariaDbRootUser, TestServices.MariaDbRootPassword, null)
            : DbConnectionInfo.Server(kind, TestServices.PostgresHost, TestServices.PostgresPort, TestServices.PostgresRootUser, TestServices.PostgresRootPassword, "postgres");
        var connection = SqlDialect.For(kind).CreateConnection(info.ConnectionString + (kind == DbKind.MariaDb ? ";Pooling=false" : ";Pooling=false"));
        await using var _ = connection;
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        var p = cmd.CreateParameter();
        p.ParameterName = "@db";
        p.Value = dbName;
        cmd.Parameters.Add(p);
        if (kind == DbKind.MariaDb)
        {
            cmd.CommandText = "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = @db AND ID <> CONNECTION_ID()";
            var ids = new List<long>();
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                    ids.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            }
            foreach (var id in ids)
            {
                await using var kill = connection.CreateCommand();
                kill.CommandText = "KILL " + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                try
                {
                    await kill.ExecuteNonQueryAsync();
                }
                catch (System.Data.Common.DbException)
                {
                    // it ended on its own meanwhile
                }
            }
            return ids.Count;
        }
        cmd.CommandText = "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()";
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<HttpStatusCode[]> BurstAsync(HttpClient client, int n, string tag)
    {
        var requests = Enumerable.Range(0, n).Select(async i =>
        {
            var response = i % 2 == 0
                ? await client.GetAsync("/api/resource/ToDo?limit_page_length=5")
                : await client.PostAsync("/api/resource/ToDo", LiveServer.Json(new JsonObject { ["description"] = $"{tag} {i}" }));
            return response.StatusCode;
        });
        return await Task.WhenAll(requests);
    }

    [Theory]
    [InlineData(DbKind.MariaDb)]
    [InlineData(DbKind.Postgres)]
    public async Task Requests_after_the_server_killed_the_idle_pooled_connections_all_succeed(DbKind kind)
    {
        await using var server = await LiveServer.StartAsync(kind);
        using var admin = await server.LoginAsync();
        var before = await server.CountAsync("tabToDo");
        var posted = 0;
        for (var round = 0; round < 3; round++)
        {
            // Several requests at once, so the pool holds several connections.
            Assert.All(await BurstAsync(admin, 8, "warm"), s => Assert.Equal(HttpStatusCode.OK, s));
            posted += 4;
            Assert.True(await KillSiteConnectionsAsync(server.Site) > 0, "no connection of the site was open to kill");
            // Within the pool's 2 s idle window, so no ping screens the dead connections out.
            var statuses = await BurstAsync(admin, 8, "after-kill");
            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
            posted += 4;
        }
        Assert.Equal(before + posted, await server.CountAsync("tabToDo"));
    }

    [Theory]
    [InlineData(DbKind.MariaDb)]
    [InlineData(DbKind.Postgres)]
    public async Task A_connection_lost_after_a_write_is_not_retried_and_at_commit_the_outcome_is_reported_unknown(DbKind kind)
    {
        await using var server = await LiveServer.StartAsync(kind);
        var table = "tabToDo";
        await using (var warm = await server.DbAsync())
            await warm.ScalarAsync("SELECT 1", []);

        await using (var db = await server.DbAsync())
        {
            await db.BeginAsync();
            await db.ExecuteAsync($"UPDATE {db.Dialect.Quote(table)} SET {db.Dialect.Quote("description")} = 'x' WHERE 1 = 0", []);
            await KillSiteConnectionsAsync(server.Site);
            // The transaction already wrote: a second statement is not replayed elsewhere.
            await Assert.ThrowsAnyAsync<Exception>(() => db.ExecuteAsync($"UPDATE {db.Dialect.Quote(table)} SET {db.Dialect.Quote("description")} = 'y' WHERE 1 = 0", []));
        }

        await using (var db = await server.DbAsync())
        {
            await db.BeginAsync();
            await db.ExecuteAsync($"UPDATE {db.Dialect.Quote(table)} SET {db.Dialect.Quote("description")} = 'x' WHERE 1 = 0", []);
            await KillSiteConnectionsAsync(server.Site);
            var unknown = await Assert.ThrowsAsync<CommitOutcomeUnknownException>(() => db.CommitAsync());
            Assert.Contains("outcome is unknown", unknown.Message, StringComparison.Ordinal);
        }
    }
}
