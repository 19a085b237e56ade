using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Tests.Model;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary>
/// Frappe's <c>_sanitize_content</c> over <c>/api/resource</c>: HTML sent in string fields is
/// stored cleaned (no scripts, event handlers or <c>javascript:</c> URLs), in child rows too;
/// Code, JSON and "Ignore XSS Filter" fields, plain text and harmless formatting are stored as sent.
/// </summary>
public sealed class HtmlSanitizeTests
{
    public static TheoryData<DbKind> AllDatabases => new() { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres };

    private const string Quill =
        """<div class="ql-editor read-mode"><h2>Plan</h2><p>Some <strong>bold</strong>, <em>italic</em>, <u>under</u>, <s>struck</s> and """ +
        """<a href="https://example.com/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">a link</a>.</p>""" +
        """<ol><li data-list="bullet"><span class="ql-ui" contenteditable="false"></span>one</li><li data-list="ordered"><span class="ql-ui" contenteditable="false"></span>two</li></ol>""" +
        """<blockquote>quoted</blockquote><div class="ql-code-block-container" spellcheck="false"><div class="ql-code-block" data-language="plain">x &lt; y</div></div><p><br></p></div>""";

    private const string Script = "<script>alert(1)</script>";

    private sealed record Types(string Parent, string Line);

    private static async Task<Types> CreateTypesAsync(LiveServer server)
    {
        var line = TestDocTypes.Unique("Note Line");
        var parent = TestDocTypes.Unique("Note");
        var raw = TestDocTypes.Field("raw", "Long Text");
        raw["ignore_xss_filter"] = 1;
        await using var ctx = new FrappeContext(server.Site, "Administrator");
        await TestDocTypes.CreateAsync(ctx, line, new JsonArray(TestDocTypes.Field("label", "Data"), TestDocTypes.Field("body", "Text Editor")),
            new JsonObject { ["istable"] = 1 }, new JsonArray());
        await TestDocTypes.CreateAsync(ctx, parent, new JsonArray(
            TestDocTypes.Field("title", "Data"),
            TestDocTypes.Field("body", "Text Editor"),
            TestDocTypes.Field("notes", "Long Text"),
            TestDocTypes.Field("snippet", "Code"),
            TestDocTypes.Field("config", "JSON"),
            raw,
            TestDocTypes.Field("lines", "Table", line)));
        return new Types(parent, line);
    }

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task Scripts_handlers_and_javascript_urls_are_cleaned_on_post_and_put_in_parents_and_rows(DbKind kind)
    {
        await using var server = await LiveServer.StartAsync(kind);
        using var client = await server.LoginAsync();
        var t = await CreateTypesAsync(server);
        const string config = """{"html": "<script>alert(1)</script>"}""";

        var created = await client.PostAsync($"/api/resource/{t.Parent}", Json(new JsonObject
        {
            ["title"] = """<b onmouseover="alert(1)">Title</b>""",
            ["body"] = """<p>Hi<script>alert(1)</script><img src="x" onerror="alert(1)"><a href="javascript:alert(1)">x</a></p>""",
            ["snippet"] = Script,
            ["config"] = config,
            ["raw"] = Script,
            ["lines"] = new JsonArray(new JsonObject { ["label"] = "<img src=x onerror=alert(1)>", ["body"] = """<a href=" JaVaScRiPt:alert(1)">c</a>""" }),
        }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var doc = (JsonObject)(await BodyAsync(created))["data"]!;
        var name = (string)doc["name"]!;
        Assert.Equal("<b>Title</b>", (string?)doc["title"]);
        Assert.Equal("""<p>Hi<img src="x"><a>x</a></p>""", (string?)doc["body"]);
        Assert.Equal("""<img src="x">""", (string?)doc["lines"]![0]!["label"]);
        Assert.Equal("<a>c</a>", (string?)doc["lines"]![0]!["body"]);
        // What was stored, not only what was answered.
        Assert.Equal("<b>Title</b>", await StoredAsync(server, t.Parent, "title", name));
        Assert.Equal("""<p>Hi<img src="x"><a>x</a></p>""", await StoredAsync(server, t.Parent, "body", name));
        Assert.Equal("""<img src="x">""", await StoredAsync(server, t.Line, "label", (string)doc["lines"]![0]!["name"]!));
        // Code, valid JSON and an "Ignore XSS Filter" field keep the markup verbatim.
        Assert.Equal(Script, await StoredAsync(server, t.Parent, "snippet", name));
        Assert.Equal(Script, await StoredAsync(server, t.Parent, "raw", name));
        Assert.Contains(Script, await StoredAsync(server, t.Parent, "config", name));

        var put = await client.PutAsync($"/api/resource/{t.Parent}/{name}", Json(new JsonObject
        {
            ["title"] = """<iframe src="javascript:alert(1)"></iframe>ok""",
            ["notes"] = """<svg onload="alert(1)"><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>""",
            ["body"] = """<div class="ql-editor read-mode"><p>a<script>alert(1)</script></p><p style="color: red">b</p><form action="javascript:alert(1)"><button>go</button></form></div>""",
            ["snippet"] = "<img src=x onerror=alert(2)>",
            ["lines"] = new JsonArray(new JsonObject { ["label"] = "<details open ontoggle=alert(1)>d</details>", ["body"] = "<math><mi xlink:href=\"javascript:alert(1)\">m</mi></math>" }),
        }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var updated = (JsonObject)(await BodyAsync(put))["data"]!;
        Assert.Equal("ok", await StoredAsync(server, t.Parent, "title", name));
        Assert.Equal("<svg><a><text>t</text></a></svg>", await StoredAsync(server, t.Parent, "notes", name));
        Assert.Equal("""<div class="ql-editor read-mode"><p>a</p><p style="color: rgba(255, 0, 0, 1)">b</p><form><button>go</button></form></div>""",
            await StoredAsync(server, t.Parent, "body", name));
        Assert.Equal("<img src=x onerror=alert(2)>", await StoredAsync(server, t.Parent, "snippet", name));
        var row = (JsonObject)updated["lines"]![0]!;
        Assert.Equal("<details open=\"\">d</details>", await StoredAsync(server, t.Line, "label", (string)row["name"]!));
        Assert.Equal("<math><mi>m</mi></math>", await StoredAsync(server, t.Line, "body", (string)row["name"]!));
        Assert.Equal("ok", (string?)updated["title"]);
    }

    [Fact]
    public async Task Plain_text_and_harmless_formatting_are_stored_exactly_as_sent()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = await server.LoginAsync();
        var t = await CreateTypesAsync(server);
        var values = new JsonObject
        {
            ["title"] = "a < b && c > d, 1<2",
            ["body"] = Quill,
            ["notes"] = """<b>b</b> <i>i</i> <a href="mailto:x@example.com">mail</a> <table><tbody><tr><td colspan="2">1</td></tr></tbody></table><ul><li>x</li></ul>""",
            ["lines"] = new JsonArray(new JsonObject { ["label"] = "<3 and -> arrows", ["body"] = "<!-- markdown -->\n# Title\n\nif a<b then" }),
        };
        var created = (JsonObject)(await BodyAsync(await client.PostAsync($"/api/resource/{t.Parent}", Json(values))))["data"]!;
        var name = (string)created["name"]!;
        async Task AssertKeptAsync()
        {
            Assert.Equal((string?)values["title"], await StoredAsync(server, t.Parent, "title", name));
            Assert.Equal(Quill, await StoredAsync(server, t.Parent, "body", name));
            Assert.Equal((string?)values["notes"], await StoredAsync(server, t.Parent, "notes", name));
            var row = (string)created["lines"]![0]!["name"]!;
            Assert.Equal("<3 and -> arrows", await StoredAsync(server, t.Line, "label", row));
            Assert.Equal("<!-- markdown -->\n# Title\n\nif a<b then", await StoredAsync(server, t.Line, "body", row));
        }
        await AssertKeptAsync();

        // The document as read back, saved again unchanged (what the desk does), still matches.
        var read = (JsonObject)(await BodyAsync(await client.GetAsync($"/api/resource/{t.Parent}/{name}")))["data"]!;
        Assert.Equal(Quill, (string?)read["body"]);
        var again = await client.PutAsync($"/api/resource/{t.Parent}/{name}", Json(read));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await AssertKeptAsync();
    }

    private static async Task<string?> StoredAsync(LiveServer server, string doctype, string field, string name)
    {
        await using var db = await server.DbAsync();
        var d = db.Dialect;
        return (await db.ScalarAsync($"SELECT {d.Quote(field)} FROM {d.Quote("tab" + doctype)} WHERE {d.Quote("name")} = @p0", [name]))?.ToString();
    }
}
