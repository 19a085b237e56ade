using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary>
/// <c>/api/v2</c> case by case on every database: each endpoint's <c>data</c> envelope, and its
/// errors as <c>errors: [{type, …}]</c> with 403, 404 and 417 (issue 21).
/// </summary>
public sealed class ApiV2Tests
{
    public static TheoryData<DbKind> AllDatabases => new() { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres };

    private static string Q(string json) => Uri.EscapeDataString(json);

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task DocumentsListReadUpdateCopyCountMetaAndDelete(DbKind kind)
    {
        await using var server = await LiveServer.StartAsync(kind);
        using var client = await server.LoginAsync();

        var created = await client.PostAsync("/api/v2/document/ToDo", Json(new JsonObject { ["description"] = "Call back", ["priority"] = "High" }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var doc = (JsonObject)(await BodyAsync(created))["data"]!;
        var name = (string)doc["name"]!;
        Assert.Equal("ToDo", (string?)doc["doctype"]);
        Assert.True(doc.ContainsKey("allocated_to") && doc["allocated_to"] is null, "v2 documents keep their null fields");

        // v2 keeps a name the client chose, whatever the naming rule.
        var named = await BodyAsync(await client.PostAsync("/api/v2/document/ToDo", Json(new JsonObject { ["name"] = "v2-chosen", ["description"] = "named" })));
        Assert.Equal("v2-chosen", (string?)named["data"]!["name"]);

        var read = await BodyAsync(await client.GetAsync($"/api/v2/document/ToDo/{name}"));
        Assert.Equal("Call back", (string?)read["data"]!["description"]);

        var patched = await BodyAsync(await client.PatchAsync($"/api/v2/document/ToDo/{name}", Json(new JsonObject { ["status"] = "Closed" })));
        Assert.Equal("Closed", (string?)patched["data"]!["status"]);
        Assert.Equal("High", (string?)patched["data"]!["priority"]);
        var put = await BodyAsync(await client.PutAsync($"/api/v2/document/ToDo/{name}/", Json(new JsonObject { ["priority"] = "Low" })));
        Assert.Equal("Low", (string?)put["data"]!["priority"]);

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v2/document/ToDo", Json(new JsonObject { ["description"] = $"row {i}" }))).StatusCode);
        var page = await BodyAsync(await client.GetAsync("/api/v2/document/ToDo?fields=" + Q("[\"description\"]") + "&filters=" + Q("[[\"description\",\"like\",\"row %\"]]")
            + "&order_by=" + Q("description asc") + "&start=1&limit=1"));
        Assert.Equal("""[{"description":"row 1"}]""", page["data"]!.ToJsonString());
        Assert.True((bool)page["has_next_page"]!);
        var last = await BodyAsync(await client.GetAsync("/api/v2/document/ToDo?fields=" + Q("[\"description\"]") + "&filters=" + Q("{\"description\":[\"like\",\"row %\"]}")
            + "&order_by=" + Q("description asc") + "&start=2&limit=5&as_dict=false"));
        Assert.Equal("""[["row 2"]]""", last["data"]!.ToJsonString());
        Assert.False((bool)last["has_next_page"]!);
        var orList = await BodyAsync(await client.GetAsync("/api/v2/document/ToDo?filters=" + Q("{\"status\":\"Open\"}") + "&or_filters=" + Q("[[\"description\",\"=\",\"row 0\"],[\"description\",\"=\",\"named\"]]") + "&limit=0"));
        Assert.Equal(2, orList["data"]!.AsArray().Count);

        var copy = (JsonObject)(await BodyAsync(await client.GetAsync($"/api/v2/document/ToDo/{name}/copy")))["data"]!;
        Assert.Equal("Call back", (string?)copy["description"]);
        Assert.Equal(0, (int)copy["docstatus"]!);
        foreach (var key in new[] { "name", "owner", "creation", "modified", "modified_by", "allocated_to" })
            Assert.False(copy.ContainsKey(key), key);
        // The copy posts back as a new document.
        var again = await BodyAsync(await client.PostAsync("/api/v2/document/ToDo", Json(copy)));
        Assert.NotEqual(name, (string?)again["data"]!["name"]);

        var count = await BodyAsync(await client.GetAsync("/api/v2/doctype/ToDo/count?filters=" + Q("[[\"description\",\"like\",\"row %\"]]")));
        Assert.Equal("""{"data":3}""", count.ToJsonString());
        Assert.Equal(2, (int)(await BodyAsync(await client.GetAsync("/api/v2/doctype/ToDo/count?limit=2")))["data"]!);
        var meta = (JsonObject)(await BodyAsync(await client.GetAsync("/api/v2/doctype/ToDo/meta")))["data"]!;
        Assert.Equal("ToDo", (string?)meta["name"]);
        Assert.Contains(meta["fields"]!.AsArray(), f => (string?)f!["fieldname"] == "description");

        var deleted = await client.DeleteAsync($"/api/v2/document/ToDo/{name}");
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        Assert.Equal("""{"data":"ok"}""", (await BodyAsync(deleted)).ToJsonString());
        var gone = await client.GetAsync($"/api/v2/document/ToDo/{name}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var error = Assert.Single((await BodyAsync(gone))["errors"]!.AsArray())!;
        Assert.Equal("DoesNotExistError", (string?)error["type"]);
        Assert.Equal($"ToDo {name} not found", (string?)error["message"]);
        Assert.Null(error["exception"]);
        Assert.Equal(5, await server.CountAsync("tabToDo"));
    }

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task ErrorsCarryV2TypesAndStatusesAndChangeNothing(DbKind kind)
    {
        await using var server = await LiveServer.StartAsync(kind);
        using var admin = await server.LoginAsync();
        using var guest = server.Client();

        // 404: an unknown route, DocType or document.
        foreach (var path in new[] { "/api/v2/nothing/here", "/api/v2/document/No Such Type", "/api/v2/document/ToDo/missing", "/api/v2/doctype/No Such Type/meta" })
        {
            var r = await admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Equal("DoesNotExistError", (string?)(await BodyAsync(r))["errors"]![0]!["type"]);
        }

        // 403: Guest on documents and meta; a method that is not whitelisted.
        foreach (var path in new[] { "/api/v2/document/ToDo", "/api/v2/doctype/ToDo/meta", "/api/v2/method/sharpbench_tests.users_only" })
        {
            var r = await guest.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Equal("PermissionError", (string?)(await BodyAsync(r))["errors"]![0]!["type"]);
        }
        var hidden = await admin.GetAsync("/api/v2/method/sharpbench_tests.not_whitelisted");
        Assert.Equal(HttpStatusCode.Forbidden, hidden.StatusCode);
        var refusal = (await BodyAsync(hidden))["errors"]![0]!;
        Assert.Equal("Method Not Allowed", (string?)refusal["title"]);
        Assert.Contains("is not whitelisted", (string?)refusal["message"]);
        Assert.Equal("red", (string?)refusal["indicator"]);

        // 417: a missing mandatory field (one message per field), an unknown method, bad JSON.
        var mandatory = await admin.PostAsync("/api/v2/document/ToDo", Json(new JsonObject { ["priority"] = "High" }));
        Assert.Equal((HttpStatusCode)417, mandatory.StatusCode);
        var body = await BodyAsync(mandatory);
        Assert.Equal("MandatoryError", (string?)body["errors"]![0]!["type"]);
        Assert.Equal("Error: Value missing for ToDo: Description", (string?)body["messages"]![0]!["message"]);
        Assert.False(body.ContainsKey("_server_messages") || body.ContainsKey("exc_type"), body.ToJsonString());
        var unknown = await admin.GetAsync("/api/v2/method/frappe.nothing.here");
        Assert.Equal((HttpStatusCode)417, unknown.StatusCode);
        Assert.StartsWith("Failed to get method frappe.nothing.here", (string?)(await BodyAsync(unknown))["errors"]![0]!["message"]);
        var malformed = await admin.PostAsync("/api/v2/document/ToDo", RawJson("{\"description\": \"half"));
        Assert.Equal((HttpStatusCode)417, malformed.StatusCode);
        Assert.Equal("ValidationError", (string?)(await BodyAsync(malformed))["errors"]![0]!["type"]);

        // 401: wrong credentials; 405: a verb the route does not take.
        var badToken = new HttpRequestMessage(HttpMethod.Post, "/api/v2/document/ToDo") { Content = Json(new JsonObject { ["description"] = "sneaky" }) };
        badToken.Headers.Authorization = Token("bad", "bad");
        var unauthorized = await server.Client(cookies: false).SendAsync(badToken);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal("AuthenticationError", (string?)(await BodyAsync(unauthorized))["errors"]![0]!["type"]);
        var notAllowed = await admin.PostAsync("/api/v2/document/ToDo/x", Json(new JsonObject()));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, notAllowed.StatusCode);

        Assert.Equal(0, await server.CountAsync("tabToDo"));

        // Successes: ping, a whitelisted method, login as a no-op.
        Assert.Equal("""{"data":"pong"}""", (await BodyAsync(await guest.GetAsync("/api/v2/method/ping"))).ToJsonString());
        Assert.Equal("""{"data":{"a":"1"}}""", (await BodyAsync(await guest.GetAsync("/api/v2/method/sharpbench_tests.echo?a=1"))).ToJsonString());
        Assert.Equal("{}", (await BodyAsync(await guest.PostAsync("/api/v2/method/login", Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "admin" })))).ToJsonString());
        Assert.Equal(HttpStatusCode.Forbidden, (await guest.GetAsync("/api/v2/method/frappe.auth.get_logged_user")).StatusCode);
        // A controller module's method by DocType: frappe.core.doctype.user.user.generate_keys.
        var keys = await BodyAsync(await admin.PostAsync("/api/v2/method/User/generate_keys", Json(new JsonObject { ["user"] = "Administrator" })));
        Assert.Equal(15, ((string?)keys["data"]!["api_secret"])!.Length);
        var noSuch = await admin.GetAsync("/api/v2/method/User/no_such_method");
        Assert.Equal((HttpStatusCode)417, noSuch.StatusCode);
    }
}
