using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Sites;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary><c>/api/resource</c> and <c>frappe.client.*</c> over real HTTP, on every database.</summary>
public sealed class ResourceApiTests
{
    public static TheoryData<DbKind> AllDatabases => new() { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres };

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task CrudListAndDeleteRoundTrip(DbKind kind)
    {
        await using var server = await LiveServer.StartAsync(kind);
        using var client = await server.LoginAsync();

        var created = await client.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "Call back", ["priority"] = "High", ["doctype"] = "Ignored" }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var doc = (JsonObject)(await BodyAsync(created))["data"]!;
        var name = (string)doc["name"]!;
        Assert.Matches("^[0-9a-v]{10}$", name);
        Assert.Equal(["name", "owner", "creation", "modified", "modified_by", "docstatus", "idx"], doc.Select(p => p.Key).Take(7));
        Assert.Equal("ToDo", (string?)doc["doctype"]);
        Assert.Equal("Open", (string?)doc["status"]);
        Assert.False(doc.ContainsKey("allocated_to"), "resource reads leave null fields out");
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$", (string?)doc["modified"]);

        var read = (JsonObject)(await BodyAsync(await client.GetAsync($"/api/resource/ToDo/{name}")))["data"]!;
        Assert.Equal("Call back", (string?)read["description"]);

        var put = await client.PutAsync($"/api/resource/ToDo/{name}", Json(new JsonObject { ["status"] = "Closed" }));
        var updated = (JsonObject)(await BodyAsync(put))["data"]!;
        Assert.Equal("Closed", (string?)updated["status"]);
        Assert.Equal("High", (string?)updated["priority"]);

        for (var i = 0; i < 4; i++)
            await client.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = $"row {i}", ["priority"] = i % 2 == 0 ? "Low" : "Medium" }));
        var list = await BodyAsync(await client.GetAsync(
            "/api/resource/ToDo?fields=" + Uri.EscapeDataString("[\"description\",\"priority\"]") +
            "&filters=" + Uri.EscapeDataString("[[\"description\",\"like\",\"row %\"]]") +
            "&or_filters=" + Uri.EscapeDataString("{\"priority\":\"Low\"}") +
            "&order_by=" + Uri.EscapeDataString("description desc") + "&limit=5"));
        Assert.Equal("""[{"description":"row 2","priority":"Low"},{"description":"row 0","priority":"Low"}]""", list["data"]!.ToJsonString());
        var arrays = await BodyAsync(await client.GetAsync(
            "/api/resource/ToDo?fields=" + Uri.EscapeDataString("[\"description\"]") + "&filters=" + Uri.EscapeDataString("{\"description\":[\"like\",\"row %\"]}") +
            "&order_by=description%20asc&limit_start=1&limit_page_length=2&as_dict=false"));
        Assert.Equal("""[["row 1"],["row 2"]]""", arrays["data"]!.ToJsonString());
        // limit=0 means every row; without fields the list has names only.
        var all = (JsonArray)(await BodyAsync(await client.GetAsync("/api/resource/ToDo?limit=0")))["data"]!;
        Assert.Equal(5, all.Count);
        Assert.All(all, r => Assert.Equal(["name"], ((JsonObject)r!).Select(p => p.Key)));

        var count = await BodyAsync(await client.GetAsync("/api/method/frappe.client.get_count?doctype=ToDo&filters=" + Uri.EscapeDataString("[[\"priority\",\"=\",\"Low\"]]")));
        Assert.Equal(2, (int?)count["message"]);

        var deleted = await client.DeleteAsync($"/api/resource/ToDo/{name}");
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        Assert.Equal("""{"data":"ok"}""", (await BodyAsync(deleted)).ToJsonString());
        var missing = await client.GetAsync($"/api/resource/ToDo/{name}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("DoesNotExistError", (string?)(await BodyAsync(missing))["exc_type"]);
        Assert.Equal(4, await server.CountAsync("tabToDo"));
    }

    [Fact]
    public async Task NamesWithSlashesWorkLiterallyAndEncoded()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = await server.LoginAsync();
        var r = await client.PostAsync("/api/resource/Role", Json(new JsonObject { ["role_name"] = "Ops/Night 100%" }));
        Assert.Equal("Ops/Night 100%", (string?)(await BodyAsync(r))["data"]!["name"]);
        foreach (var path in new[] { "/api/resource/Role/Ops%2FNight%20100%25", "/api/resource/Role/Ops/Night%20100%25", "/api/v1/resource/Role/Ops%2FNight%20100%25" })
        {
            var got = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, got.StatusCode);
            Assert.Equal("Ops/Night 100%", (string?)(await BodyAsync(got))["data"]!["role_name"]);
        }
        var spaced = await client.GetAsync("/api/resource/Has%20Role?parent=User&fields=" + Uri.EscapeDataString("[\"role\"]") + "&filters=" + Uri.EscapeDataString("{\"parent\":\"Administrator\"}"));
        Assert.Equal("""[{"role":"Administrator"}]""", (await BodyAsync(spaced))["data"]!.ToJsonString());
    }

    [Fact]
    public async Task ClientMethodsKeepNullsAndFrappesShapes()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = await server.LoginAsync();
        var inserted = (JsonObject)(await BodyAsync(await client.PostAsync("/api/method/frappe.client.insert",
            Json(new JsonObject { ["doc"] = new JsonObject { ["doctype"] = "ToDo", ["description"] = "first" } }))))["message"]!;
        Assert.True(inserted.ContainsKey("allocated_to") && inserted["allocated_to"] is null, "frappe.client results include nulls");
        var name = (string)inserted["name"]!;

        async Task<JsonObject> Get(string query) => await BodyAsync(await client.GetAsync("/api/method/frappe.client.get_value?doctype=ToDo&" + query));
        Assert.Equal("{\"message\":{\"name\":\"" + name + "\"}}", (await Get("fieldname=%5B%5D&as_dict=true&debug=false")).ToJsonString());
        Assert.Equal("""{"message":{"description":"first"}}""", (await Get("fieldname=description&filters=" + name)).ToJsonString());
        Assert.Equal("""{"message":["first"]}""", (await Get("fieldname=%5B%22description%22%5D&as_dict=false&filters=" + Uri.EscapeDataString($"{{\"name\":\"{name}\"}}"))).ToJsonString());
        Assert.Equal("""{"message":{}}""", (await Get("fieldname=description&filters=nothing")).ToJsonString());
        var jsonFalse = await BodyAsync(await client.PostAsync("/api/method/frappe.client.get_value", Json(new JsonObject { ["doctype"] = "ToDo", ["fieldname"] = "description", ["filters"] = name, ["as_dict"] = false })));
        Assert.Equal("""{"message":"first"}""", jsonFalse.ToJsonString());
        var none = await BodyAsync(await client.PostAsync("/api/method/frappe.client.get_value", Json(new JsonObject { ["doctype"] = "ToDo", ["fieldname"] = "description", ["filters"] = "nothing", ["as_dict"] = false })));
        Assert.Equal("{}", none.ToJsonString());

        var set = await BodyAsync(await client.PostAsync("/api/method/frappe.client.set_value", Json(new JsonObject { ["doctype"] = "ToDo", ["name"] = name, ["fieldname"] = "priority", ["value"] = "High" })));
        Assert.Equal("High", (string?)set["message"]!["priority"]);
        var std = await client.PostAsync("/api/method/frappe.client.set_value", Json(new JsonObject { ["doctype"] = "ToDo", ["name"] = name, ["fieldname"] = "owner", ["value"] = "Guest" }));
        Assert.Equal((HttpStatusCode)417, std.StatusCode);
        Assert.Equal("Administrator", await Scalar(server, "SELECT owner FROM " + Q(server, "tabToDo")));
        // A child row changes through its parent, and the parent is the answer.
        var user = await BodyAsync(await client.PostAsync("/api/resource/User", Json(new JsonObject { ["email"] = "rows@example.com", ["first_name"] = "Rows", ["roles"] = new JsonArray(new JsonObject { ["role"] = "System Manager" }) })));
        var row = (string)user["data"]!["roles"]![0]!["name"]!;
        var parent = await BodyAsync(await client.PostAsync("/api/method/frappe.client.set_value", Json(new JsonObject { ["doctype"] = "Has Role", ["name"] = row, ["fieldname"] = "role", ["value"] = "All" })));
        Assert.Equal("User", (string?)parent["message"]!["doctype"]);
        Assert.Equal("rows@example.com", (string?)parent["message"]!["name"]);
        Assert.Equal("All", (string?)parent["message"]!["roles"]![0]!["role"]);
        Assert.Equal("All", await Scalar(server, "SELECT role FROM " + Q(server, "tabHas Role") + " WHERE name = '" + row + "'"));
        // set_value only answers writes.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/method/frappe.client.set_value?doctype=ToDo&name={name}&fieldname=priority&value=Low")).StatusCode);

        var doc = (JsonObject)(await BodyAsync(await client.GetAsync($"/api/method/frappe.client.get?doctype=ToDo&name={name}")))["message"]!;
        doc["description"] = "saved";
        var saved = await client.PostAsync("/api/method/frappe.client.save", Json(new JsonObject { ["doc"] = doc.DeepClone() }));
        Assert.Equal("saved", (string?)(await BodyAsync(saved))["message"]!["description"]);
        doc["description"] = "stale";
        var stale = await client.PostAsync("/api/method/frappe.client.save", Json(new JsonObject { ["doc"] = doc.DeepClone() }));
        Assert.Equal((HttpStatusCode)417, stale.StatusCode);
        Assert.Equal("TimestampMismatchError", (string?)(await BodyAsync(stale))["exc_type"]);
        Assert.Equal("saved", await Scalar(server, "SELECT description FROM " + Q(server, "tabToDo")));

        var many = await BodyAsync(await client.PostAsync("/api/method/frappe.client.insert_many", Json(new JsonObject
        {
            ["docs"] = new JsonArray(new JsonObject { ["doctype"] = "ToDo", ["description"] = "a" }, new JsonObject { ["doctype"] = "ToDo", ["description"] = "b" }),
        })));
        Assert.Equal(2, many["message"]!.AsArray().Count);
        var perm = await BodyAsync(await client.GetAsync($"/api/method/frappe.client.has_permission?doctype=ToDo&docname={name}&perm_type=write"));
        Assert.Equal("""{"message":{"has_permission":true}}""", perm.ToJsonString());
        var tz = await BodyAsync(await server.Client().GetAsync("/api/method/frappe.client.get_time_zone"));
        Assert.False(string.IsNullOrEmpty((string?)tz["message"]!["time_zone"]));
        var deleted = await client.DeleteAsync($"/api/method/frappe.client.delete?doctype=ToDo&name={name}");
        Assert.Equal("{}", (await BodyAsync(deleted)).ToJsonString());
        Assert.Equal(2, await server.CountAsync("tabToDo"));
    }

    [Fact]
    public async Task DebugReturnsTheSqlToSystemManagersOnly()
    {
        await using var server = await LiveServer.StartAsync();
        using var admin = await server.LoginAsync();
        await admin.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "x" }));
        var listed = await BodyAsync(await admin.GetAsync("/api/resource/ToDo?debug=1&filters=" + Uri.EscapeDataString("""[["status","=","Open"]]""")));
        var messages = JsonNode.Parse((string)listed["_debug_messages"]!)!.AsArray();
        var sql = (string)messages.Single()!;
        Assert.Contains("SELECT", sql);
        Assert.Contains("tabToDo", sql);
        Assert.Contains("'Open'", sql);
        var counted = await BodyAsync(await admin.GetAsync("/api/method/frappe.client.get_count?doctype=ToDo&debug=true"));
        Assert.Equal(1, (int?)counted["message"]);
        Assert.Contains("COUNT", (string)JsonNode.Parse((string)counted["_debug_messages"]!)![0]!);
        Assert.Null((await BodyAsync(await admin.GetAsync("/api/resource/ToDo")))["_debug_messages"]);

        await admin.PostAsync("/api/resource/User", Json(new JsonObject { ["email"] = "plain@example.com", ["first_name"] = "Plain" }));
        await using (var db = await server.DbAsync())
            await UserPasswords.SetPasswordAsync(db, "plain@example.com", "secret-pw");
        using var plain = await server.LoginAsync("plain@example.com", "secret-pw");
        var hidden = await BodyAsync(await plain.GetAsync("/api/resource/ToDo?debug=1"));
        Assert.NotNull(hidden["data"]);
        Assert.Null(hidden["_debug_messages"]);
    }

    [Fact]
    public async Task RoleRightsAndIfOwnerApplyToEveryPath()
    {
        await using var server = await LiveServer.StartAsync();
        using var admin = await server.LoginAsync();
        var adminTodo = (string)(await BodyAsync(await admin.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "admin's" }))))["data"]!["name"]!;
        var user = await admin.PostAsync("/api/resource/User", Json(new JsonObject { ["email"] = "jane@example.com", ["first_name"] = "Jane" }));
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        await using (var db = await server.DbAsync())
            await UserPasswords.SetPasswordAsync(db, "jane@example.com", "secret-pw");

        using var jane = await server.LoginAsync("jane@example.com", "secret-pw");
        // ToDo grants All only on own documents: Jane sees and counts only hers.
        var mine = (string)(await BodyAsync(await jane.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "jane's" }))))["data"]!["name"]!;
        Assert.Equal($$"""[{"name":"{{mine}}"}]""", (await BodyAsync(await jane.GetAsync("/api/resource/ToDo")))["data"]!.ToJsonString());
        Assert.Equal(1, (int?)(await BodyAsync(await jane.GetAsync("/api/method/frappe.client.get_count?doctype=ToDo")))["message"]);
        foreach (var r in new[]
        {
            await jane.GetAsync($"/api/resource/ToDo/{adminTodo}"),
            await jane.PutAsync($"/api/resource/ToDo/{adminTodo}", Json(new JsonObject { ["description"] = "hijacked" })),
            await jane.DeleteAsync($"/api/resource/ToDo/{adminTodo}"),
            await jane.GetAsync("/api/resource/Role"),
            await jane.GetAsync("/api/method/frappe.client.get_count?doctype=Role"),
        })
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Equal("PermissionError", (string?)(await BodyAsync(r))["exc_type"]);
        }
        Assert.Equal("admin's", await Scalar(server, $"SELECT description FROM {Q(server, "tabToDo")} WHERE name = @p0", adminTodo));
        // Guest has no rights on ToDo at all.
        var guest = await server.Client().GetAsync("/api/resource/ToDo");
        Assert.Equal(HttpStatusCode.Forbidden, guest.StatusCode);
    }

    private static string Q(LiveServer server, string table) => SqlDialect.For(server.Site.Connection.Kind).Quote(table);

    private static async Task<object?> Scalar(LiveServer server, string sql, params object?[] args)
    {
        await using var db = await server.DbAsync();
        return await db.ScalarAsync(sql, args);
    }
}
