using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Data;

/// <summary>
/// Statements a connection repeats are prepared on the server (docs/benchmarks.md, "Database
/// path"). On PostgreSQL a prepared <c>SELECT *</c> is refused once its table gains a column
/// (0A000, "cached plan must not change result type"), which a migrate adding a field does while
/// the site keeps serving: the requests after it must not fail.
/// </summary>
public class PreparedStatementTests
{
    [Fact]
    public async Task APostgresDocumentReadIsPreparedAndStillAnswersAfterItsTableGainsAColumn()
    {
        await using var server = await LiveServer.StartAsync(DbKind.Postgres);
        var client = await server.LoginAsync();
        var created = await client.PostAsync("/api/resource/ToDo", LiveServer.Json(new JsonObject { ["description"] = "prepared" }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var name = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["data"]!["name"]!;
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/resource/ToDo/{name}")).StatusCode);
        await using (var pooled = await server.DbAsync())
        {
            // The connection the GETs used (the pool hands back the last one returned).
            var prepared = await pooled.ScalarAsync("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM \"tabToDo\" WHERE \"name\"%'", []);
            Assert.Equal(1L, Convert.ToInt64(prepared, System.Globalization.CultureInfo.InvariantCulture));
        }

        // What a migrate adding a field to ToDo does, from another connection.
        await using (var other = await Database.OpenAsync(DbConnectionInfo.Server(DbKind.Postgres, TestServices.PostgresHost, TestServices.PostgresPort, TestServices.PostgresRootUser, TestServices.PostgresRootPassword, server.Bench.SiteConfig(server.Site.Name).GetString("db_name"))))
            await other.ExecuteAsync("ALTER TABLE \"tabToDo\" ADD COLUMN \"probe_extra\" varchar(140)", []);

        for (var i = 0; i < 3; i++)
        {
            var read = await client.GetAsync($"/api/resource/ToDo/{name}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Contains("prepared", await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var update = await client.PutAsync($"/api/resource/ToDo/{name}", LiveServer.Json(new JsonObject { ["description"] = "updated after the change" }));
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var after = await client.GetAsync($"/api/resource/ToDo/{name}");
        Assert.Contains("updated after the change", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// PostgreSQL fixes a prepared statement's parameter types: the same SQL run later with a value
    /// of another type (a number where text was, a null) must still run, not fail to bind.
    /// </summary>
    [Fact]
    public async Task APostgresStatementPreparedForTextStillRunsWithANumberOrANull()
    {
        await using var bench = new TempBench();
        var site = await bench.CreateSiteAsync(DbKind.Postgres);
        await using var db = await site.OpenDatabaseAsync();
        const string sql = "SELECT CAST(@p0 AS text) AS v";
        for (var i = 0; i < 3; i++)
            Assert.Equal("a", await db.ScalarAsync(sql, ["a"]));
        Assert.Equal("5", await db.ScalarAsync(sql, [5L]));
        Assert.Null(await db.ScalarAsync(sql, [null]));
        Assert.Equal("b", await db.ScalarAsync(sql, ["b"]));
    }

    /// <summary>A statement the server will not prepare fails with the server's own error each time, not a driver error.</summary>
    [Fact]
    public async Task APostgresStatementThatCannotBePreparedFailsWithTheServersErrorEachTime()
    {
        await using var bench = new TempBench();
        var site = await bench.CreateSiteAsync(DbKind.Postgres);
        for (var i = 0; i < 3; i++)
        {
            // A failed statement closes its connection when handed back; each try here rents one.
            await using var db = await site.OpenDatabaseAsync();
            var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.QueryAsync("SELECT * FROM \"tabNo Such Table\"", []));
            Assert.Equal("42P01", e.SqlState);
            e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.QueryAsync("SELECT * FROM \"tabNo Such Table\"", []));
            Assert.Equal("42P01", e.SqlState);
        }
    }
}
