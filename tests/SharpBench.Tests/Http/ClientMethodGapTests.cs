using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary>
/// The v1 gaps of issue 21: <c>validate_link</c>, <c>bulk_update</c>, <c>get_user_info</c>,
/// deleting a child row through its parent, <c>save</c> without a name, Check fields of a Single
/// as integers, and a Frappe function that exists but is not whitelisted (403).
/// </summary>
public sealed class ClientMethodGapTests
{
    public static TheoryData<DbKind> AllDatabases => new() { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres };

    private static readonly string[] SettingsChecks = ["enable_onboarding", "setup_complete", "deny_multiple_sessions", "allow_error_traceback", "allow_guests_to_upload_files", "enable_scheduler"];

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task ValidateLinkBulkUpdateAndUserInfo(DbKind kind)
    {
        await using var server = await LiveServer.StartAsync(kind);
        using var admin = await server.LoginAsync();
        var todo = (string)(await BodyAsync(await admin.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "linked", ["priority"] = "High" }))))["data"]!["name"]!;

        var found = await BodyAsync(await admin.GetAsync($"/api/method/frappe.client.validate_link?doctype=ToDo&docname={todo}&fields=" + Uri.EscapeDataString("[\"priority\",\"status\"]")));
        Assert.Equal("{\"message\":{\"name\":\"" + todo + "\",\"priority\":\"High\",\"status\":\"Open\"}}", found.ToJsonString());
        var bare = await BodyAsync(await admin.PostAsync("/api/method/frappe.client.validate_link", Json(new JsonObject { ["doctype"] = "User", ["docname"] = "Administrator" })));
        Assert.Equal("""{"message":{"name":"Administrator"}}""", bare.ToJsonString());
        var missing = await BodyAsync(await admin.GetAsync("/api/method/frappe.client.validate_link?doctype=ToDo&docname=nope"));
        Assert.Equal("""{"message":{"name":null}}""", missing.ToJsonString());
        using var guest = server.Client();
        Assert.Equal(HttpStatusCode.Forbidden, (await guest.GetAsync($"/api/method/frappe.client.validate_link?doctype=ToDo&docname={todo}")).StatusCode);

        var other = (string)(await BodyAsync(await admin.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "other" }))))["data"]!["name"]!;
        var docs = new JsonArray(
            new JsonObject { ["doctype"] = "ToDo", ["docname"] = todo, ["priority"] = "Low" },
            new JsonObject { ["doctype"] = "ToDo", ["docname"] = other, ["description"] = "changed", ["priority"] = "Not A Priority" },
            new JsonObject { ["doctype"] = "ToDo", ["docname"] = "missing" });
        var bulk = await BodyAsync(await admin.PostAsync("/api/method/frappe.client.bulk_update", Json(new JsonObject { ["docs"] = docs.ToJsonString() })));
        var failed = bulk["message"]!["failed_docs"]!.AsArray();
        Assert.Equal(2, failed.Count);
        Assert.Equal(other, (string?)failed[0]!["doc"]!["docname"]);
        Assert.StartsWith("frappe.exceptions.ValidationError", (string?)failed[0]!["exc"]);
        Assert.StartsWith("frappe.exceptions.DoesNotExistError", (string?)failed[1]!["exc"]);
        Assert.Equal(1, await server.CountAsync("tabToDo", "name = @p0 AND priority = @p1", todo, "Low"));
        Assert.Equal(1, await server.CountAsync("tabToDo", "name = @p0 AND description = @p1", other, "other"));
        // POST and PUT only.
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/method/frappe.client.bulk_update?docs=" + Uri.EscapeDataString(docs.ToJsonString()))).StatusCode);

        Assert.Equal("""{"message":{"user":"Administrator","user_type":"System User"}}""", (await BodyAsync(await admin.GetAsync("/api/method/frappe.realtime.get_user_info"))).ToJsonString());
        Assert.Equal("""{"message":{"user":"Guest","user_type":null}}""", (await BodyAsync(await guest.GetAsync("/api/method/frappe.realtime.get_user_info"))).ToJsonString());
    }

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task ChildRowDeleteSaveWithoutNameSingleChecksAndNotWhitelisted(DbKind kind)
    {
        await using var server = await LiveServer.StartAsync(kind);
        using var admin = await server.LoginAsync();

        var user = await BodyAsync(await admin.PostAsync("/api/resource/User", Json(new JsonObject
        {
            ["email"] = "rows@example.com",
            ["first_name"] = "Rows",
            ["roles"] = new JsonArray(new JsonObject { ["role"] = "System Manager" }, new JsonObject { ["role"] = "All" }),
        })));
        var row = (string)user["data"]!["roles"]![1]!["name"]!;
        var first = await admin.PostAsync("/api/method/frappe.client.delete", Json(new JsonObject { ["doctype"] = "Has Role", ["name"] = row }));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("{}", (await BodyAsync(first)).ToJsonString());
        Assert.Equal(0, await server.CountAsync("tabHas Role", "name = @p0", row));
        Assert.Equal(1, await server.CountAsync("tabHas Role", "parent = @p0", "rows@example.com"));
        var second = await admin.PostAsync("/api/method/frappe.client.delete", Json(new JsonObject { ["doctype"] = "Has Role", ["name"] = row }));
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);

        var saved = await BodyAsync(await admin.PostAsync("/api/method/frappe.client.save", Json(new JsonObject { ["doc"] = new JsonObject { ["doctype"] = "ToDo", ["description"] = "saved new" } })));
        Assert.Equal("saved new", (string?)saved["message"]!["description"]);
        Assert.Equal(1, await server.CountAsync("tabToDo", "description = @p0", "saved new"));

        // Check fields of a Single are the integers 0/1, never 0.0.
        var settings = await admin.GetAsync("/api/method/frappe.client.get?doctype=System%20Settings");
        var text = await settings.Content.ReadAsStringAsync();
        var doc = (JsonObject)JsonNode.Parse(text)!["message"]!;
        var checks = SettingsChecks.Where(doc.ContainsKey).ToList();
        Assert.NotEmpty(checks);
        foreach (var check in checks)
            Assert.Matches("^[01]$", doc[check]!.ToJsonString());

        // Exists in Frappe (and here) but is not whitelisted: 403, not 417.
        var hidden = await admin.PostAsync("/api/method/frappe.client.delete_doc", Json(new JsonObject { ["doctype"] = "ToDo", ["name"] = "x" }));
        Assert.Equal(HttpStatusCode.Forbidden, hidden.StatusCode);
        Assert.Equal("PermissionError", (string?)(await BodyAsync(hidden))["exc_type"]);
    }
}
