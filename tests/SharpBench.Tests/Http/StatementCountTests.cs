using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Http;

/// <summary>
/// What a request costs the database, counted by the server itself: every statement is a round
/// trip and server CPU (docs/benchmarks.md, "Database path"), so a change that adds one to the
/// commonest request fails here instead of hiding in a benchmark. MariaDB counts per login with
/// <c>userstat</c> (information_schema.USER_STATISTICS, the per-user <c>Com_*</c>): each test
/// site has its own login, so statements of tests running beside this one are not counted.
/// PostgreSQL counts per database, and each site has its own.
/// </summary>
public class StatementCountTests
{
    /// <summary>A logged-in document GET sends one statement: the document's row.</summary>
    private const int StatementsPerGet = 1;

    /// <summary>A logged-in list sends one statement: its SELECT.</summary>
    private const int StatementsPerList = 1;

    [Fact]
    public async Task ALoggedInDocumentGetSendsOneStatement()
    {
        await using var server = await LiveServer.StartAsync(DbKind.MariaDb);
        var client = await server.LoginAsync();
        var created = await client.PostAsync("/api/resource/ToDo", LiveServer.Json(new JsonObject { ["description"] = "counted" }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var name = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["data"]!["name"]!;
        var login = server.Bench.SiteConfig(server.Site.Name).GetString("db_name")!;

        await using var root = await Database.OpenAsync(DbConnectionInfo.Server(DbKind.MariaDb, TestServices.MariaDbHost, TestServices.MariaDbPort, TestServices.MariaDbRootUser, TestServices.MariaDbRootPassword, null));
        await root.ExecuteAsync("SET GLOBAL userstat = 1", []);
        try
        {
            // The first reads settle what is done once: meta and roles loaded, the statement
            // prepared on the connection (on its second use).
            for (var i = 0; i < 2; i++)
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/resource/ToDo/{name}")).StatusCode);
            const int gets = 20;
            var before = await StatementsAsync(root, login);
            for (var i = 0; i < gets; i++)
            {
                var response = await client.GetAsync($"/api/resource/ToDo/{name}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("counted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            var sent = await StatementsAsync(root, login) - before;

            // One more is allowed: the session is read again once its 5 s in-process copy expires.
            Assert.True(sent <= gets * StatementsPerGet + 1, $"{gets} document GETs sent {sent} statements to MariaDB; at most {gets * StatementsPerGet + 1} expected");
            Assert.True(sent >= gets, $"{gets} document GETs sent only {sent} statements: the count does not see them");
        }
        finally
        {
            await root.ExecuteAsync("SET GLOBAL userstat = 0", []);
        }
    }

    /// <summary>
    /// The 20-row list of db-path.sh (fields, a filter, a sort) sends one statement: its SELECT.
    /// Meta, the user's rights and the field permissions it applies come from the process's caches,
    /// and there is no count query (Frappe's /api/resource list sends none either).
    /// </summary>
    [Fact]
    public async Task ALoggedInListSendsOneStatement()
    {
        await using var server = await LiveServer.StartAsync(DbKind.MariaDb);
        var client = await server.LoginAsync();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/resource/ToDo", LiveServer.Json(new JsonObject { ["description"] = $"listed {i}", ["status"] = "Open" }))).StatusCode);
        var login = server.Bench.SiteConfig(server.Site.Name).GetString("db_name")!;
        var list = "/api/resource/ToDo?fields=" + Uri.EscapeDataString("[\"name\",\"description\",\"status\",\"priority\"]")
            + "&filters=" + Uri.EscapeDataString("[[\"status\",\"=\",\"Open\"]]") + "&order_by=" + Uri.EscapeDataString("creation desc") + "&limit_page_length=20";

        await using var root = await Database.OpenAsync(DbConnectionInfo.Server(DbKind.MariaDb, TestServices.MariaDbHost, TestServices.MariaDbPort, TestServices.MariaDbRootUser, TestServices.MariaDbRootPassword, null));
        await root.ExecuteAsync("SET GLOBAL userstat = 1", []);
        try
        {
            for (var i = 0; i < 2; i++)
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(list)).StatusCode);
            const int lists = 20;
            var before = await StatementsAsync(root, login);
            for (var i = 0; i < lists; i++)
            {
                var response = await client.GetAsync(list);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(3, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!.AsArray().Count);
            }
            var sent = await StatementsAsync(root, login) - before;

            // One more is allowed: the session is read again once its 5 s in-process copy expires.
            Assert.True(sent <= lists * StatementsPerList + 1, $"{lists} lists sent {sent} statements to MariaDB; at most {lists * StatementsPerList + 1} expected");
            Assert.True(sent >= lists, $"{lists} lists sent only {sent} statements: the count does not see them");
        }
        finally
        {
            await root.ExecuteAsync("SET GLOBAL userstat = 0", []);
        }
    }

    /// <summary>
    /// PostgreSQL has no per-login statement count, but each statement outside a transaction is a
    /// transaction of its own, counted per database (pg_stat_database), and the site has its own.
    /// A connection reports its counts when it closes, so the count closes the site's connections
    /// first. Preparing a statement (on its second use) is one more.
    /// </summary>
    [Fact]
    public async Task ALoggedInDocumentGetSendsOneStatementToPostgres()
    {
        await using var server = await LiveServer.StartAsync(DbKind.Postgres);
        var client = await server.LoginAsync();
        var created = await client.PostAsync("/api/resource/ToDo", LiveServer.Json(new JsonObject { ["description"] = "counted" }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var name = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["data"]!["name"]!;
        var database = server.Bench.SiteConfig(server.Site.Name).GetString("db_name")!;

        await using var root = await Database.OpenAsync(DbConnectionInfo.Server(DbKind.Postgres, TestServices.PostgresHost, TestServices.PostgresPort, TestServices.PostgresRootUser, TestServices.PostgresRootPassword, "postgres"));
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/resource/ToDo/{name}")).StatusCode);
        const int gets = 20;
        var before = await TransactionsAsync(root, server, database);
        for (var i = 0; i < gets; i++)
        {
            var response = await client.GetAsync($"/api/resource/ToDo/{name}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("counted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var sent = await TransactionsAsync(root, server, database) - before;

        // Two more are allowed: the statement prepared on the new connection, and the session read
        // again once its 5 s in-process copy expires.
        Assert.True(sent <= gets * StatementsPerGet + 2, $"{gets} document GETs sent {sent} statements to PostgreSQL; at most {gets * StatementsPerGet + 2} expected");
        Assert.True(sent >= gets, $"{gets} document GETs sent only {sent} statements: the count does not see them");
    }

    private static async Task<long> TransactionsAsync(Database root, LiveServer server, string database)
    {
        Database.ClearPool(database);
        using (var connection = new Npgsql.NpgsqlConnection(server.Site.Connection.ConnectionString))
            Npgsql.NpgsqlConnection.ClearPool(connection);
        for (var i = 0; i < 100 && Convert.ToInt64(await root.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = @p0", [database]), CultureInfo.InvariantCulture) > 0; i++)
            await Task.Delay(50);
        await Task.Delay(200);
        await root.ExecuteAsync("SELECT pg_stat_clear_snapshot()", []);
        return Convert.ToInt64(await root.ScalarAsync("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = @p0", [database]), CultureInfo.InvariantCulture);
    }

    private static async Task<long> StatementsAsync(Database root, string login)
    {
        var rows = await root.QueryAsync("SELECT SELECT_COMMANDS + UPDATE_COMMANDS + OTHER_COMMANDS AS n FROM information_schema.USER_STATISTICS WHERE USER = @p0", [login]);
        return rows.Count == 0 ? 0 : Convert.ToInt64(rows[0]["n"], CultureInfo.InvariantCulture);
    }
}
