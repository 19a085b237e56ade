using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Tests.Model;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary>
/// Whitelisted document methods (issue 21): a controller's own, and the ones every document
/// has (submit, cancel, validate, add_comment), through <c>run_doc_method</c>, v2's
/// <c>document/…/method/…</c> and v2's <c>run_doc_method</c>: whitelisted → result and the
/// document, not whitelisted → 403, missing → 417 (404 on v2's document route).
/// </summary>
public sealed class DocMethodTests
{
    public static TheoryData<DbKind> AllDatabases => new() { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres };

    /// <summary>An order's controller: <c>approve</c> (POST only) saves a note; <c>summary</c> reads; <c>recalculate</c> is not whitelisted.</summary>
    private sealed class OrderController : DocumentController
    {
        [Whitelist("approve", Methods = ["POST"])]
        public async Task<string> ApproveAsync(FrappeContext ctx, Document doc, string note, CancellationToken ct)
        {
            doc.Set("note", note);
            await doc.SaveAsync(ctx, ct);
            return "approved: " + note;
        }

        [Whitelist("summary")]
        public string Summary(Document doc, string prefix = "") => $"{prefix}{doc.GetString("title")}";

        public string Recalculate(Document doc) => "never over HTTP: " + doc.Name;

        public override Task ValidateAsync(FrappeContext ctx, Document doc, CancellationToken ct)
        {
            if (doc.GetString("title") == "refuse")
                throw new ValidationError("refused by the controller");
            doc.Set("shout", doc.GetString("title")?.ToUpperInvariant());
            return Task.CompletedTask;
        }
    }

    private static async Task<(LiveServer Server, HttpClient Admin, string DocType)> StartAsync(DbKind kind)
    {
        var server = await LiveServer.StartAsync(kind);
        var doctype = TestDocTypes.Unique("Order");
        await using (var ctx = new FrappeContext(server.Site, "Administrator"))
        {
            await TestDocTypes.CreateAsync(ctx, doctype, new JsonArray(
                TestDocTypes.Field("title", "Data", reqd: 1), TestDocTypes.Field("note", "Data"), TestDocTypes.Field("shout", "Data")),
                new JsonObject { ["is_submittable"] = 1 }, new JsonArray(TestDocTypes.Perm("System Manager", submit: true)));
        }
        server.Site.Host.DocEvents.Controller(doctype, new OrderController());
        return (server, await server.LoginAsync(), doctype);
    }

    private static async Task<JsonObject> CreateAsync(HttpClient client, string doctype, string title)
    {
        var r = await client.PostAsync($"/api/resource/{doctype}", Json(new JsonObject { ["title"] = title }));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return (JsonObject)(await BodyAsync(r))["data"]!;
    }

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task RunDocMethodWhitelistedNotWhitelistedAndMissing(DbKind kind)
    {
        var (server, admin, doctype) = await StartAsync(kind);
        await using var _ = server;
        using var __ = admin;
        var order = await CreateAsync(admin, doctype, "first");
        var name = (string)order["name"]!;

        var approved = await admin.PostAsync("/api/method/run_doc_method", Json(new JsonObject { ["dt"] = doctype, ["dn"] = name, ["method"] = "approve", ["args"] = "{\"note\":\"ok\"}" }));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var body = await BodyAsync(approved);
        Assert.Equal("approved: ok", (string?)body["message"]);
        Assert.Equal("ok", (string?)body["docs"]![0]!["note"]);
        Assert.Equal(name, (string?)body["docs"]![0]!["name"]);
        await using (var db = await server.DbAsync())
            Assert.Equal("ok", await db.ScalarAsync($"SELECT note FROM {db.Dialect.Quote("tab" + doctype)} WHERE name = @p0", [name]));

        // The legacy alias and the desk's form arguments (docs = the client's copy, JSON text).
        var latest = (JsonObject)(await BodyAsync(await admin.GetAsync($"/api/resource/{doctype}/{name}")))["data"]!;
        var summary = await BodyAsync(await admin.PostAsync("/api/method/runserverobj", Form(("docs", latest.ToJsonString()), ("method", "summary"), ("args", "{\"prefix\":\"> \"}"))));
        Assert.Equal("> first", (string?)summary["message"]);

        foreach (var (method, status, type) in new[] { ("recalculate", 403, "PermissionError"), ("save", 403, "PermissionError"), ("db_set", 403, "PermissionError"), ("no_such_method", 417, "ValidationError") })
        {
            var r = await admin.PostAsync("/api/method/run_doc_method", Json(new JsonObject { ["dt"] = doctype, ["dn"] = name, ["method"] = method }));
            Assert.Equal((HttpStatusCode)status, r.StatusCode);
            var error = await BodyAsync(r);
            Assert.Equal(type, (string?)error["exc_type"]);
            if (status == 403)
                Assert.Contains("is not whitelisted", (string?)ServerMessages(error)[0]["message"]);
        }
        // An HTTP method the whitelist does not allow; a document that does not exist; Guest.
        var get = await admin.GetAsync($"/api/method/run_doc_method?dt={Uri.EscapeDataString(doctype)}&dn={name}&method=approve&args=%7B%22note%22%3A%22x%22%7D");
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/method/run_doc_method", Json(new JsonObject { ["dt"] = doctype, ["dn"] = "missing", ["method"] = "summary" }))).StatusCode);
        using var guest = server.Client();
        Assert.Equal(HttpStatusCode.Forbidden, (await guest.PostAsync("/api/method/run_doc_method", Json(new JsonObject { ["dt"] = doctype, ["dn"] = name, ["method"] = "summary" }))).StatusCode);
        await using (var db = await server.DbAsync())
            Assert.Equal("ok", await db.ScalarAsync($"SELECT note FROM {db.Dialect.Quote("tab" + doctype)} WHERE name = @p0", [name]));
    }

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task CoreMethodsSubmitCancelValidateAndAddComment(DbKind kind)
    {
        var (server, admin, doctype) = await StartAsync(kind);
        await using var _ = server;
        using var __ = admin;
        var order = await CreateAsync(admin, doctype, "second");
        var name = (string)order["name"]!;

        // validate runs the checks and the controller without saving.
        var checkedDoc = await BodyAsync(await admin.PostAsync("/api/method/run_doc_method", Json(new JsonObject { ["docs"] = new JsonObject { ["doctype"] = doctype, ["title"] = "draft", ["__islocal"] = 1, ["name"] = "new-order-1" }, ["method"] = "validate" })));
        Assert.Equal("DRAFT", (string?)checkedDoc["docs"]![0]!["shout"]);
        Assert.False(checkedDoc.ContainsKey("message"));
        var invalid = await admin.PostAsync("/api/method/run_doc_method", Json(new JsonObject { ["docs"] = new JsonObject { ["doctype"] = doctype, ["__islocal"] = 1 }, ["method"] = "validate" }));
        Assert.Equal((HttpStatusCode)417, invalid.StatusCode);
        Assert.Equal("MandatoryError", (string?)(await BodyAsync(invalid))["exc_type"]);
        Assert.Equal(1, await server.CountAsync("tab" + doctype));

        // submit with a stale copy is refused; with the current one it submits.
        var stale = (JsonObject)order.DeepClone();
        stale["modified"] = "2001-01-01 00:00:00";
        var refused = await admin.PostAsync("/api/method/run_doc_method", Json(new JsonObject { ["docs"] = stale, ["method"] = "submit" }));
        Assert.Equal((HttpStatusCode)417, refused.StatusCode);
        Assert.Equal("TimestampMismatchError", (string?)(await BodyAsync(refused))["exc_type"]);
        var submitted = await BodyAsync(await admin.PostAsync("/api/method/run_doc_method", Json(new JsonObject { ["docs"] = order.DeepClone(), ["method"] = "submit" })));
        Assert.Equal(1, (int)submitted["docs"]![0]!["docstatus"]!);
        Assert.Equal(1, (int)submitted["message"]!["docstatus"]!);

        var comment = await BodyAsync(await admin.PostAsync($"/api/v2/document/{doctype}/{name}/method/add_comment", Json(new JsonObject { ["text"] = "Looks good" })));
        Assert.Equal("Comment", (string?)comment["data"]!["doctype"]);
        Assert.Equal("Looks good", (string?)comment["data"]!["content"]);
        Assert.Equal(1, await server.CountAsync("tabComment", "reference_doctype = @p0 AND reference_name = @p1 AND comment_type = @p2", doctype, name, "Comment"));

        var cancelled = await BodyAsync(await admin.PostAsync($"/api/v2/document/{doctype}/{name}/method/cancel", Json(new JsonObject())));
        Assert.Equal(2, (int)cancelled["docs"]![0]!["docstatus"]!);
        await using var db = await server.DbAsync();
        Assert.Equal(2L, Convert.ToInt64(await db.ScalarAsync($"SELECT docstatus FROM {db.Dialect.Quote("tab" + doctype)} WHERE name = @p0", [name]), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task V2DocumentMethodAndRunDocMethod(DbKind kind)
    {
        var (server, admin, doctype) = await StartAsync(kind);
        await using var _ = server;
        using var __ = admin;
        var order = await CreateAsync(admin, doctype, "third");
        var name = (string)order["name"]!;
        var path = $"/api/v2/document/{doctype}/{name}/method";

        var summary = await BodyAsync(await admin.GetAsync($"{path}/summary?prefix=%3D"));
        Assert.Equal("=third", (string?)summary["data"]);
        Assert.Equal(name, (string?)summary["docs"]![0]!["name"]);
        var approve = await BodyAsync(await admin.PostAsync($"{path}/approve", Json(new JsonObject { ["note"] = "v2" })));
        Assert.Equal("approved: v2", (string?)approve["data"]);
        Assert.Equal("v2", (string?)approve["docs"]![0]!["note"]);

        foreach (var (method, verb, status, type) in new[]
        {
            ("recalculate", "POST", 403, "PermissionError"), ("insert", "POST", 403, "PermissionError"),
            ("no_such_method", "POST", 404, "DoesNotExistError"), ("approve", "GET", 403, "PermissionError"),
        })
        {
            var r = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(verb), $"{path}/{method}") { Content = verb == "POST" ? Json(new JsonObject { ["note"] = "no" }) : null });
            Assert.Equal((HttpStatusCode)status, r.StatusCode);
            Assert.Equal(type, (string?)(await BodyAsync(r))["errors"]![0]!["type"]);
        }

        var run = await BodyAsync(await admin.PostAsync("/api/v2/method/run_doc_method", Json(new JsonObject { ["method"] = "summary", ["document"] = new JsonObject { ["doctype"] = doctype, ["title"] = "unsaved" }, ["kwargs"] = new JsonObject { ["prefix"] = "* " } })));
        Assert.Equal("* unsaved", (string?)run["data"]);
        var missing = await admin.PostAsync("/api/v2/method/run_doc_method", Json(new JsonObject { ["method"] = "nope", ["document"] = new JsonObject { ["doctype"] = doctype, ["title"] = "x" } }));
        Assert.Equal((HttpStatusCode)417, missing.StatusCode);
        var notWhitelisted = await admin.PostAsync("/api/v2/method/run_doc_method", Json(new JsonObject { ["method"] = "recalculate", ["document"] = new JsonObject { ["doctype"] = doctype, ["title"] = "x" } }));
        Assert.Equal(HttpStatusCode.Forbidden, notWhitelisted.StatusCode);

        // /api/resource's run_method reaches the same controller methods.
        var viaResource = await BodyAsync(await admin.GetAsync($"/api/resource/{doctype}/{name}?run_method=summary&prefix=r:"));
        Assert.Equal("r:third", (string?)viaResource["data"]);
        Assert.Equal(1, await server.CountAsync("tab" + doctype));
    }
}
