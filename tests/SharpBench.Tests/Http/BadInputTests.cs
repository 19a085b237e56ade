using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary>
/// The "Bad input" list: each case gets Frappe's status and exc_type, and the site's
/// data is compared before and after to show nothing changed.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private LiveServer _server = null!;
    private HttpClient _admin = null!;
    private string _todo = "";

    public async ValueTask InitializeAsync()
    {
        _server = await LiveServer.StartAsync();
        _admin = await _server.LoginAsync();
        var r = await _admin.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "keep me", ["priority"] = "Low" }));
        _todo = (string)(await BodyAsync(r))["data"]!["name"]!;
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>Every row of the tables a bad request could touch, as text.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var db = await _server.DbAsync();
        var parts = new List<string>();
        foreach (var table in new[] { "tabToDo", "tabUser", "tabRole", "tabSessions", "__Auth" })
        {
            var rows = await db.QueryAsync($"SELECT * FROM {db.Dialect.Quote(table)}", []);
            parts.Add(table + ":" + string.Join("|", rows.Select(r => string.Join(",", r.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))).Order()));
        }
        return string.Join("\n", parts);
    }

    private async Task ExpectAsync(HttpResponseMessage response, int status, params string[] excTypes)
    {
        var body = await BodyAsync(response);
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body.ToJsonString()}");
        Assert.Contains((string?)body["exc_type"], excTypes);
    }

    private static string Q(string json) => Uri.EscapeDataString(json);

    [Theory]
    // section 5.3: fields
    [InlineData("fields", "[\"name\",\"(select password from `__Auth`)\"]")]
    [InlineData("fields", "[\"name\",\"concat(name, owner)\"]")]
    [InlineData("fields", "[\"name; drop table `tabToDo`\"]")]
    [InlineData("fields", "[\"name /* comment */\"]")]
    [InlineData("fields", "[\"name union select name from tabUser\"]")]
    [InlineData("fields", "[\"no_such_field\"]")]
    [InlineData("fields", "[\"@@version\"]")]
    [InlineData("fields", "[\"version()\"]")]
    // filters
    [InlineData("filters", "[[\"name\",\"=\",\"x\"],[\"name) or (1=1\",\"=\",\"x\"]]")]
    [InlineData("filters", "[[\"description; delete from `tabToDo`\",\"=\",\"x\"]]")]
    [InlineData("filters", "{\"no_such_field\":\"x\"}")]
    [InlineData("filters", "[[\"name\",\"<>\",\"x\"]]")]
    [InlineData("filters", "[[\"name\",\"= 1 or 1=1 --\",\"x\"]]")]
    [InlineData("or_filters", "[[\"owner'\",\"=\",\"x\"]]")]
    // order_by / group_by
    [InlineData("order_by", "name; delete from `tabToDo`")]
    [InlineData("order_by", "(select name from tabUser)")]
    [InlineData("order_by", "sleep(5)")]
    [InlineData("order_by", "name desc, no_such_field asc")]
    [InlineData("order_by", "`tabUser`.name")]
    [InlineData("order_by", "name = 'x'")]
    [InlineData("group_by", "owner; drop table tabToDo")]
    // not JSON
    [InlineData("fields", "name,description")]
    [InlineData("fields", "*")]
    [InlineData("filters", "status=Open")]
    [InlineData("filters", "[[\"status\",\"=\"")]
    public async Task HostileListArgumentsAre417DataErrorAndChangeNothing(string argument, string value)
    {
        var before = await SnapshotAsync();
        var r = await _admin.GetAsync($"/api/resource/ToDo?{argument}={Q(value)}");
        await ExpectAsync(r, 417, "DataError");
        // frappe.client.get_list also takes fields as comma-separated text, as Frappe's does.
        if (!(argument == "fields" && !value.StartsWith('[')))
        {
            var viaClient = await _admin.GetAsync($"/api/method/frappe.client.get_list?doctype=ToDo&{argument}={Q(value)}");
            Assert.Equal((HttpStatusCode)417, viaClient.StatusCode);
        }
        if (argument is "filters")
            await ExpectAsync(await _admin.GetAsync($"/api/method/frappe.client.get_count?doctype=ToDo&filters={Q(value)}"), 417, "DataError");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task UnknownDocTypeOrNameIs404()
    {
        var before = await SnapshotAsync();
        await ExpectAsync(await _admin.GetAsync("/api/resource/No%20Such%20DocType"), 404, "DoesNotExistError");
        await ExpectAsync(await _admin.GetAsync("/api/resource/No%20Such%20DocType/x"), 404, "DoesNotExistError");
        await ExpectAsync(await _admin.PostAsync("/api/resource/No%20Such%20DocType", Json(new JsonObject { ["a"] = 1 })), 404, "DoesNotExistError");
        await ExpectAsync(await _admin.GetAsync("/api/resource/ToDo/nope"), 404, "DoesNotExistError");
        await ExpectAsync(await _admin.PutAsync("/api/resource/ToDo/nope", Json(new JsonObject { ["description"] = "x" })), 404, "DoesNotExistError");
        await ExpectAsync(await _admin.DeleteAsync("/api/resource/ToDo/nope"), 404, "DoesNotExistError");
        await ExpectAsync(await _admin.GetAsync("/api/resource/ToDo/..%2F..%2Fetc%2Fpasswd"), 404, "DoesNotExistError");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task InvalidDocumentsAre417AndDuplicatesAre409()
    {
        var before = await SnapshotAsync();
        var mandatory = await _admin.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["priority"] = "Low" }));
        await ExpectAsync(mandatory, 417, "MandatoryError");
        Assert.Contains(ServerMessages(await BodyAsync(mandatory)), m => ((string?)m["message"])!.Contains("Description", StringComparison.Ordinal));
        await ExpectAsync(await _admin.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "x", ["allocated_to"] = "ghost@example.com" })), 417, "LinkValidationError");
        await ExpectAsync(await _admin.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "x", ["status"] = "Bogus" })), 417, "ValidationError");
        await ExpectAsync(await _admin.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "x", ["date"] = "not a date" })), 417, "ValidationError", "FrappeTypeError");
        await ExpectAsync(await _admin.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "x", ["priority"] = new JsonArray("Low") })), 417, "ValidationError", "FrappeTypeError");
        await ExpectAsync(await _admin.PostAsync("/api/resource/Role", Json(new JsonObject { ["role_name"] = "System Manager" })), 409, "DuplicateEntryError");
        await ExpectAsync(await _admin.PutAsync($"/api/resource/ToDo/{_todo}", Json(new JsonObject { ["description"] = "stale", ["modified"] = "2000-01-01 00:00:00.000000" })), 417, "TimestampMismatchError");
        await ExpectAsync(await _admin.PutAsync($"/api/resource/ToDo/{_todo}", Json(new JsonObject { ["status"] = "Bogus" })), 417, "ValidationError");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task MalformedAndOversizedBodiesChangeNothing()
    {
        var before = await SnapshotAsync();
        await ExpectAsync(await _admin.PostAsync("/api/resource/ToDo", RawJson("{\"description\": ")), 417, "ValidationError");
        await ExpectAsync(await _admin.PostAsync("/api/resource/ToDo", RawJson("\"description\"")), 417, "ValidationError");
        await ExpectAsync(await _admin.PutAsync($"/api/resource/ToDo/{_todo}", RawJson("[1,2,3]")), 417, "ValidationError");
        var big = await _admin.PostAsync("/api/resource/ToDo", RawJson("{\"description\":\"" + new string('x', 10 * 1024 * 1024) + "\"}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        var patch = await _admin.PatchAsync($"/api/resource/ToDo/{_todo}", Json(new JsonObject { ["description"] = "patched" }));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, patch.StatusCode);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task MethodAndAuthFailuresChangeNothing()
    {
        var before = await SnapshotAsync();
        await ExpectAsync(await _admin.PostAsync("/api/method/frappe.client.nope", Json(new JsonObject())), 417, "ValidationError");
        using var guest = _server.Client();
        await ExpectAsync(await guest.PostAsync("/api/method/frappe.client.insert", Json(new JsonObject { ["doc"] = new JsonObject { ["doctype"] = "ToDo", ["description"] = "guest" } })), 403, "PermissionError");
        await ExpectAsync(await guest.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "guest" })), 403, "PermissionError");
        await ExpectAsync(await guest.PostAsync("/api/method/login", Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "wrong" })), 401, "AuthenticationError");
        var token = new HttpRequestMessage(HttpMethod.Delete, $"/api/resource/ToDo/{_todo}");
        token.Headers.TryAddWithoutValidation("Authorization", "token abc:def");
        await ExpectAsync(await guest.SendAsync(token), 401, "AuthenticationError");
        await ExpectAsync(await _admin.PostAsync("/api/method/frappe.client.insert_many", Json(new JsonObject
        {
            ["docs"] = new JsonArray(Enumerable.Range(0, 201).Select(i => (JsonNode)new JsonObject { ["doctype"] = "ToDo", ["description"] = $"d{i}" }).ToArray()),
        })), 417, "ValidationError");
        // An insert_many that fails half-way leaves none of its rows.
        await ExpectAsync(await _admin.PostAsync("/api/method/frappe.client.insert_many", Json(new JsonObject
        {
            ["docs"] = new JsonArray(new JsonObject { ["doctype"] = "ToDo", ["description"] = "ok" }, new JsonObject { ["doctype"] = "ToDo" }),
        })), 417, "MandatoryError");
        Assert.Equal(before, await SnapshotAsync());
    }
}
