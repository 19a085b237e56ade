using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Auth;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Realtime;
using SharpBench.Realtime.Frappe;
using SharpBench.Tests.Model;
using SharpBench.Tests.Realtime;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Auth;

/// <summary>
/// The attacks of issue 20 findings 1, 2 and 7, replayed as the probe ran them: reading another
/// user's data through a Link join, setting and reading fields above one's permlevel, and hearing
/// about other users' rows over realtime.
/// </summary>
[Collection(PublisherTests.Name)]
public sealed class PermissionAttackTests(PermissionSites sites) : IClassFixture<PermissionSites>
{
    public static TheoryData<DbKind> Kinds => new(DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres);

    private static string Q(string path, params (string Key, string Value)[] args) =>
        path + "?" + string.Join("&", args.Select(a => a.Key + "=" + Uri.EscapeDataString(a.Value)));

    private static async Task RefusedAsync(HttpResponseMessage response)
    {
        var body = await BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"expected 403, got {(int)response.StatusCode}: {body.ToJsonString()}");
        Assert.Equal("PermissionError", (string?)body["exc_type"]);
    }

    private static async Task<JsonNode?> OkAsync(HttpResponseMessage response, string key = "message")
    {
        var body = await BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body.ToJsonString()}");
        return body[key];
    }

    private static async Task<object?> StoredAsync(PermissionSites.Setup s, string field, string name)
    {
        await using var db = await s.Server.DbAsync();
        var d = db.Dialect;
        return await db.ScalarAsync($"SELECT {d.Quote(field)} FROM {d.Quote("tab" + s.Claim)} WHERE {d.Quote("name")} = @p0", [name]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_link_join_shows_only_what_reading_the_linked_document_would(DbKind kind)
    {
        var s = sites[kind];
        using var web = await s.Server.LoginAsync(s.Website, PermissionSites.Password);

        // The probe: a Website User's own ToDo, allocated to Administrator, read through the Link.
        var todo = (string)(await OkAsync(await web.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "bait", ["allocated_to"] = "Administrator" })), "data"))!["name"]!;
        await RefusedAsync(await web.GetAsync("/api/resource/User/Administrator"));
        await RefusedAsync(await web.GetAsync(Q("/api/resource/ToDo", ("fields", "[\"name\",\"allocated_to.api_key\",\"allocated_to.email\"]"))));
        await RefusedAsync(await web.GetAsync(Q("/api/method/frappe.client.get_value", ("doctype", "ToDo"), ("fieldname", "allocated_to.email"), ("filters", todo))));
        await RefusedAsync(await web.GetAsync(Q("/api/resource/ToDo", ("order_by", "allocated_to.api_key desc"))));
        await RefusedAsync(await web.GetAsync(Q("/api/method/frappe.client.get_count", ("doctype", "ToDo"), ("filters", "[[\"allocated_to.api_key\",\"like\",\"p6%\"]]"))));

        // Another user's ToDo (if_owner) named in a Link of a DocType everyone reads.
        var refType = TestDocTypes.Unique("ToDo Ref");
        string clerkTodo;
        await using (var ctx = new FrappeContext(s.Server.Site, "Administrator"))
        {
            await TestDocTypes.CreateAsync(ctx, refType, new JsonArray(TestDocTypes.Field("todo", "Link", "ToDo")), null,
                new JsonArray(TestDocTypes.Perm("System Manager"), new JsonObject { ["role"] = "All", ["read"] = 1, ["write"] = 1, ["create"] = 1 }));
        }
        await using (var ctx = new FrappeContext(s.Server.Site, s.SystemUser))
        {
            var t = await Documents.NewAsync(ctx, "ToDo", new JsonObject { ["description"] = "clerk secret" });
            await t.InsertAsync(ctx);
            clerkTodo = t.Name!;
            await ctx.CommitAsync();
        }
        await OkAsync(await web.PostAsync($"/api/resource/{refType}", Json(new JsonObject { ["todo"] = clerkTodo })), "data");
        var rows = (JsonArray)(await OkAsync(await web.GetAsync(Q($"/api/resource/{refType}", ("fields", "[\"name\",\"todo\",\"todo.description\"]"))), "data"))!;
        Assert.Equal(clerkTodo, (string?)rows.Single()!["todo"]);
        Assert.Null(rows.Single()!["todo.description"]);
        Assert.Equal(0, (int)(await OkAsync(await web.GetAsync(Q("/api/method/frappe.client.get_count", ("doctype", refType), ("filters", "[[\"todo.description\",\"like\",\"clerk%\"]]")))))!);
        var value = await OkAsync(await web.GetAsync(Q("/api/method/frappe.client.get_value", ("doctype", refType), ("fieldname", "[\"todo\",\"todo.description\"]"))));
        Assert.Null(value!["todo.description"]);

        // Its owner still reads it through the same join.
        using var clerk = await s.Server.LoginAsync(s.SystemUser, PermissionSites.Password);
        var own = (JsonArray)(await OkAsync(await clerk.GetAsync(Q($"/api/resource/{refType}", ("fields", "[\"todo.description\"]"))), "data"))!;
        Assert.Equal("clerk secret", (string?)own.Single()!["todo.description"]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Fields_above_a_writers_permlevel_keep_their_stored_value(DbKind kind)
    {
        var s = sites[kind];
        using var web = await s.Server.LoginAsync(s.Website, PermissionSites.Password);

        // Approving one's own claim: the level-1 fields fall back to their defaults, and the answer leaves them out.
        var created = (JsonObject)(await OkAsync(await web.PostAsync($"/api/resource/{s.Claim}",
            Json(new JsonObject { ["title"] = "approve me", ["approved"] = 1, ["approver_note"] = "self-approved" })), "data"))!;
        var name = (string)created["name"]!;
        Assert.Equal("approve me", (string?)created["title"]);
        Assert.False(created.ContainsKey("approved") || created.ContainsKey("approver_note"));
        Assert.Equal(0L, Convert.ToInt64(await StoredAsync(s, "approved", name), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(await StoredAsync(s, "approver_note", name));

        var put = (JsonObject)(await OkAsync(await web.PutAsync($"/api/resource/{s.Claim}/{name}",
            Json(new JsonObject { ["title"] = "renamed", ["approved"] = 1, ["approver_note"] = "again" })), "data"))!;
        Assert.Equal("renamed", (string?)put["title"]);
        var set = (JsonObject)(await OkAsync(await web.PostAsync("/api/method/frappe.client.set_value",
            Json(new JsonObject { ["doctype"] = s.Claim, ["name"] = name, ["fieldname"] = "approved", ["value"] = 1 }))))!;
        Assert.False(set.ContainsKey("approved"));
        var saved = (JsonObject)(await OkAsync(await web.PostAsync("/api/method/frappe.client.save",
            Json(new JsonObject { ["doc"] = new JsonObject { ["doctype"] = s.Claim, ["name"] = name, ["modified"] = (string)set["modified"]!, ["approved"] = 1, ["title"] = "saved" } }))))!;
        Assert.False(saved.ContainsKey("approved"));
        Assert.Equal("saved", (string?)saved["title"]);
        Assert.Equal(0L, Convert.ToInt64(await StoredAsync(s, "approved", name), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(await StoredAsync(s, "approver_note", name));

        // A role that reads level 1 but does not write it cannot change it either, but sees it.
        using var clerk = await s.Server.LoginAsync(s.SystemUser, PermissionSites.Password);
        var clerkPut = (JsonObject)(await OkAsync(await clerk.PutAsync($"/api/resource/{s.Claim}/{name}",
            Json(new JsonObject { ["approved"] = 1, ["approver_note"] = "clerk says yes", ["title"] = "clerk title" })), "data"))!;
        Assert.Equal("clerk title", (string?)clerkPut["title"]);
        Assert.Equal(0, (int?)clerkPut["approved"]);
        Assert.Equal(0L, Convert.ToInt64(await StoredAsync(s, "approved", name), System.Globalization.CultureInfo.InvariantCulture));

        // The level-1 writer can.
        using var boss = await s.Server.LoginAsync(s.Manager, PermissionSites.Password);
        var approved = (JsonObject)(await OkAsync(await boss.PutAsync($"/api/resource/{s.Claim}/{name}",
            Json(new JsonObject { ["approved"] = 1, ["approver_note"] = "approved by boss" })), "data"))!;
        Assert.Equal(1, (int?)approved["approved"]);
        Assert.Equal("approved by boss", await StoredAsync(s, "approver_note", name));

        // And what the boss wrote survives the owner's next save.
        await OkAsync(await web.PutAsync($"/api/resource/{s.Claim}/{name}", Json(new JsonObject { ["title"] = "after approval", ["approved"] = 0, ["approver_note"] = "" })), "data");
        Assert.Equal(1L, Convert.ToInt64(await StoredAsync(s, "approved", name), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("approved by boss", await StoredAsync(s, "approver_note", name));
        Assert.Equal("after approval", await StoredAsync(s, "title", name));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Child_rows_follow_the_parents_permlevels(DbKind kind)
    {
        var s = sites[kind];
        var line = TestDocTypes.Unique("Expense Line");
        var sheet = TestDocTypes.Unique("Expense Sheet");
        await using (var ctx = new FrappeContext(s.Server.Site, "Administrator"))
        {
            var cost = TestDocTypes.Field("cost", "Int");
            cost["permlevel"] = 1;
            await TestDocTypes.CreateAsync(ctx, line, new JsonArray(TestDocTypes.Field("item", "Data"), cost), new JsonObject { ["istable"] = 1 }, new JsonArray());
            await TestDocTypes.CreateAsync(ctx, sheet, new JsonArray(TestDocTypes.Field("title", "Data"), TestDocTypes.Field("lines", "Table", line)), null,
                new JsonArray(TestDocTypes.Perm("System Manager"), new JsonObject { ["role"] = "System Manager", ["permlevel"] = 1, ["read"] = 1, ["write"] = 1 },
                    new JsonObject { ["role"] = "All", ["if_owner"] = 1, ["read"] = 1, ["write"] = 1, ["create"] = 1 }));
        }
        using var web = await s.Server.LoginAsync(s.Website, PermissionSites.Password);
        var created = (JsonObject)(await OkAsync(await web.PostAsync($"/api/resource/{sheet}",
            Json(new JsonObject { ["title"] = "trip", ["lines"] = new JsonArray(new JsonObject { ["item"] = "taxi", ["cost"] = 99 }) })), "data"))!;
        var name = (string)created["name"]!;
        var row = (JsonObject)created["lines"]![0]!;
        Assert.Equal("taxi", (string?)row["item"]);
        Assert.False(row.ContainsKey("cost"));
        var rowName = (string)row["name"]!;

        async Task<long> CostAsync(string rowId)
        {
            await using var db = await s.Server.DbAsync();
            var d = db.Dialect;
            return Convert.ToInt64(await db.ScalarAsync($"SELECT {d.Quote("cost")} FROM {d.Quote("tab" + line)} WHERE {d.Quote("name")} = @p0", [rowId]) ?? 0L,
                System.Globalization.CultureInfo.InvariantCulture);
        }
        Assert.Equal(0L, await CostAsync(rowName));
        await using (var ctx = new FrappeContext(s.Server.Site, "Administrator"))
        {
            var doc = await Documents.GetAsync(ctx, sheet, name);
            doc.Table("lines")[0].Set("cost", 50);
            await doc.SaveAsync(ctx);
            await ctx.CommitAsync();
        }

        // The stored row keeps its cost; a row added by the same writer gets the default.
        var put = (JsonObject)(await OkAsync(await web.PutAsync($"/api/resource/{sheet}/{name}", Json(new JsonObject
        {
            ["lines"] = new JsonArray(new JsonObject { ["name"] = rowName, ["item"] = "train", ["cost"] = 1 }, new JsonObject { ["item"] = "hotel", ["cost"] = 7 }),
        })), "data"))!;
        var rows = (JsonArray)put["lines"]!;
        Assert.Equal(["train", "hotel"], rows.Select(r => (string)r!["item"]!));
        Assert.All(rows, r => Assert.False(((JsonObject)r!).ContainsKey("cost")));
        Assert.Equal(50L, await CostAsync(rowName));
        Assert.Equal(0L, await CostAsync((string)rows[1]!["name"]!));

        // Read through the parent: the level-1 column is dropped, and filtering on it refused.
        var listed = (JsonArray)(await OkAsync(await web.GetAsync(Q($"/api/resource/{line}", ("parent", sheet), ("fields", "[\"item\",\"cost\"]"))), "data"))!;
        Assert.All(listed, r => Assert.Equal(["item"], ((JsonObject)r!).Select(p => p.Key)));
        await RefusedAsync(await web.GetAsync(Q($"/api/resource/{sheet}", ("filters", $"[[\"{line}\",\"cost\",\">\",\"10\"]]"))));
        await RefusedAsync(await web.GetAsync(Q($"/api/resource/{sheet}", ("fields", "[\"lines.cost\"]"))));
        using var boss = await s.Server.LoginAsync(s.Manager, PermissionSites.Password);
        var full = (JsonObject)(await OkAsync(await boss.GetAsync($"/api/resource/{sheet}/{name}"), "data"))!;
        Assert.Equal(50, (int?)full["lines"]![0]!["cost"]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_website_user_hears_nothing_of_other_users_rows(DbKind kind)
    {
        var s = sites[kind];
        var permissions = new ModelPermissions();
        // The probe's subscription: User is for System Managers only, so there is no room to join.
        Assert.Equal(Access.None, await permissions.DocTypeReadAccessAsync(s.Server.Site, s.Website, "User"));
        Assert.Equal(Access.All, await permissions.DocTypeReadAccessAsync(s.Server.Site, s.Manager, "User"));

        // ToDo is if_owner for everyone: the clerk's new ToDo is announced to the list room and to
        // the clerk's own room, never to the room the Website User's subscription joins.
        Assert.Equal(Access.OwnerOnly, await permissions.DocTypeReadAccessAsync(s.Server.Site, s.Website, "ToDo"));
        string todo;
        await using (var ctx = new FrappeContext(s.Server.Site, s.SystemUser))
        {
            var t = await Documents.NewAsync(ctx, "ToDo", new JsonObject { ["description"] = "not for the web user" });
            await t.InsertAsync(ctx);
            todo = t.Name!;
            await ctx.CommitAsync();
        }
        var rooms = sites.Events.For(s.Server.Site.Name)
            .Where(e => e.Event == "list_update" && (string?)JsonNode.Parse(e.Message)!["name"] == todo).Select(e => e.Room).ToList();
        Assert.Equal(["doctype:ToDo", RealtimePublisher.OwnedDocTypeRoom("ToDo", s.SystemUser)], rooms);
        Assert.DoesNotContain(RealtimePublisher.OwnedDocTypeRoom("ToDo", s.Website), rooms);
    }
}
