using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Tests.Model;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary>
/// A live server per database with a DocType of every column kind a list parameter can reach
/// ("Probe Item": Data, Int, Float, Check, Date, Link to User, Select) and a few rows of it and
/// of ToDo, logged in as Administrator. Shared by the hostile-input tests and the fuzz pass.
/// </summary>
public sealed class ProbeSite : IAsyncDisposable
{
    public const string DocType = "Probe Item";

    private ProbeSite(LiveServer server, HttpClient admin)
    {
        Server = server;
        Admin = admin;
    }

    public LiveServer Server { get; }
    public HttpClient Admin { get; }

    public static async Task<ProbeSite> StartAsync(DbKind kind)
    {
        var server = await LiveServer.StartAsync(kind);
        await using (var ctx = new FrappeContext(server.Site, "Administrator"))
        {
            await TestDocTypes.CreateAsync(ctx, DocType, new JsonArray(
                TestDocTypes.Field("title", "Data"),
                TestDocTypes.Field("qty", "Int"),
                TestDocTypes.Field("rate", "Float"),
                TestDocTypes.Field("done", "Check"),
                TestDocTypes.Field("due", "Date"),
                TestDocTypes.Field("user", "Link", "User"),
                TestDocTypes.Field("kind", "Select", "\nA\nB")), new JsonObject { ["autoname"] = "prompt" });
        }
        var admin = await server.LoginAsync();
        for (var i = 0; i < 5; i++)
        {
            var row = new JsonObject { ["name"] = $"P-{i}", ["title"] = $"t{i}", ["qty"] = i, ["rate"] = i * 1.5, ["done"] = i % 2, ["due"] = $"2024-01-0{i + 1}", ["user"] = "Administrator", ["kind"] = i % 2 == 0 ? "A" : "B" };
            Assert.True((await admin.PostAsync($"/api/resource/{DocType}", Json(row))).IsSuccessStatusCode);
            Assert.True((await admin.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = $"todo {i}", ["priority"] = "Low" }))).IsSuccessStatusCode);
        }
        return new ProbeSite(server, admin);
    }

    /// <summary>Every row of the tables the probes could touch, as text: equal before and after means nothing changed.</summary>
    public async Task<string> SnapshotAsync()
    {
        await using var db = await Server.DbAsync();
        var parts = new List<string>();
        foreach (var table in new[] { "tabProbe Item", "tabToDo", "tabUser" })
        {
            var rows = await db.QueryAsync($"SELECT * FROM {db.Dialect.Quote(table)}", []);
            parts.Add(table + ":" + string.Join("|", rows.Select(r => string.Join(",", r.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))).Order()));
        }
        return string.Join("\n", parts);
    }

    /// <summary>Words only a database driver or server writes; none may reach a client outside developer mode.</summary>
    public static readonly string[] DatabaseSignatures =
    [
        "MySqlConnector", "MySqlException", "MariaDB", "You have an error in your SQL syntax", "Out of range value",
        "Npgsql", "PostgresException", "must appear in the GROUP BY", "numeric field overflow", "integer out of range",
        "SQLite Error", "SqliteException", "SQLITE_", "no such column", "System.Data", "OverflowException", "EncoderFallback",
        "   at ", "Exception:",
    ];

    /// <summary>
    /// PostgreSQL's SQLSTATE prefix as Npgsql writes it ("42703: column ... does not exist"). A bare
    /// "42703" also turns up inside the random hex of <c>__frappe_exc_id</c>, so only the code with
    /// its colon, standing alone, counts.
    /// </summary>
    private static readonly System.Text.RegularExpressions.Regex SqlState = new(@"(?<![0-9A-Za-z])42[0-9A-Z]{3}: ");

    public static void AssertNoDatabaseText(string body, string what)
    {
        foreach (var s in DatabaseSignatures)
            Assert.False(body.Contains(s, StringComparison.Ordinal), $"{what}: the answer shows '{s}': {body}");
        var state = SqlState.Match(body);
        Assert.False(state.Success, $"{what}: the answer shows PostgreSQL's SQLSTATE '{state.Value}': {body}");
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Server.DisposeAsync();
    }
}
