using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Desk;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Desk;

/// <summary>
/// The desk's server side: every <c>/app</c> route answers the single-page shell naming the
/// current build's hashed files (from the Vite manifest <c>bench build</c> writes), guests are
/// sent to the login page with their way back, <c>/assets</c> is served without nginx, and
/// <c>getdoctype</c> hands the desk its meta.
/// </summary>
public sealed class DeskShellTests : IAsyncLifetime
{
    private LiveServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await LiveServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private void FakeBuild(string js, string css)
    {
        var folder = DeskManifest.FolderFor(_server.Bench);
        Directory.CreateDirectory(Path.Combine(folder, ".vite"));
        File.WriteAllText(Path.Combine(folder, js), "console.log('desk')");
        File.WriteAllText(Path.Combine(folder, css), "body{}");
        var manifest = new JsonObject
        {
            ["src/main.ts"] = new JsonObject { ["file"] = js, ["isEntry"] = true, ["css"] = new JsonArray(css) },
        };
        var path = Path.Combine(folder, ".vite", "manifest.json");
        File.WriteAllText(path, manifest.ToJsonString());
        // A rebuild within the same second must still be noticed.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(Random.Shared.Next(1, 1000)));
    }

    [Theory]
    [InlineData("/app", null)]
    [InlineData("/app/todo", "ToDo")]
    [InlineData("/app/todo/new", "ToDo")]
    [InlineData("/app/scheduled-job-type/some%20name", "Scheduled Job Type")]
    [InlineData("/app/no-such-thing", null)]
    public async Task EveryDeskRouteServesTheShellWithTheBuildsFiles(string path, string? routed)
    {
        FakeBuild("main-AAAA1111.js", "main-BBBB2222.css");
        using var browser = await _server.LoginAsync();
        var r = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" crossorigin src=\"/assets/frappe/desk/main-AAAA1111.js\"></script>", html);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/assets/frappe/desk/main-BBBB2222.css\">", html);
        Assert.Equal("no-store", r.Headers.CacheControl?.ToString());

        var boot = BootOf(html);
        Assert.Equal("Administrator", (string?)boot["user"]);
        Assert.Equal(_server.Site.Name, (string?)boot["sitename"]);
        Assert.False(string.IsNullOrEmpty((string?)boot["csrf_token"]));
        var todo = boot["doctypes"]!.AsArray().Single(d => (string?)d!["name"] == "ToDo")!;
        Assert.Equal("Desk", (string?)todo["module"]);
        // Child tables live inside their parents' forms, not on the home page.
        Assert.DoesNotContain(boot["doctypes"]!.AsArray(), d => (string?)d!["name"] == "DocField");
        // The routed DocType's meta comes with the page (no getdoctype round trip first).
        Assert.Equal(routed, (string?)boot["docs"]?[0]?["name"]);

        // A rebuild is picked up without a restart.
        FakeBuild("main-CCCC3333.js", "main-DDDD4444.css");
        Assert.Contains("/assets/frappe/desk/main-CCCC3333.js", await browser.GetStringAsync(path));
    }

    private static JsonObject BootOf(string html)
    {
        const string open = "<script id=\"desk-boot\" type=\"application/json\">";
        var start = html.IndexOf(open, StringComparison.Ordinal) + open.Length;
        var end = html.IndexOf("</script>", start, StringComparison.Ordinal);
        return (JsonObject)JsonNode.Parse(html[start..end])!;
    }

    [Fact]
    public async Task GuestsGoToTheLoginPageWithTheirWayBack()
    {
        FakeBuild("main-AAAA1111.js", "main-BBBB2222.css");
        using var guest = _server.Client();
        var r = await guest.GetAsync("/app/todo/new?x=1");
        Assert.Equal(HttpStatusCode.Found, r.StatusCode);
        Assert.Equal("/login?redirect-to=%2Fapp%2Ftodo%2Fnew%3Fx%3D1", r.Headers.Location?.OriginalString);

        // The no-JavaScript form still logs in, and sends the browser back there.
        var login = await guest.PostAsync("/login", Form(("usr", "Administrator"), ("pwd", "admin"), ("redirect-to", "/app/todo/new?x=1")));
        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        Assert.Equal("/app/todo/new?x=1", login.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task WithoutABuildTheNoScriptListStays()
    {
        using var browser = await _server.LoginAsync();
        var html = await browser.GetStringAsync("/app");
        Assert.Contains("<a href=\"/api/resource/ToDo\">ToDo</a>", html);
        Assert.DoesNotContain("desk-boot", html);
    }

    [Fact]
    public async Task AssetsAreServedButNothingOutsideThem()
    {
        FakeBuild("main-AAAA1111.js", "main-BBBB2222.css");
        using var guest = _server.Client();
        var js = await guest.GetAsync("/assets/frappe/desk/main-AAAA1111.js");
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.Equal("console.log('desk')", await js.Content.ReadAsStringAsync());
        Assert.Contains("immutable", js.Headers.CacheControl?.ToString());

        foreach (var path in new[]
        {
            "/assets/frappe/desk/.vite/manifest.json", "/assets/frappe/desk/missing.js", "/assets/..%2Fcommon_site_config.json",
            "/assets/%2e%2e/common_site_config.json", $"/assets/../{_server.Site.Name}/site_config.json",
        })
        {
            var r = await guest.GetAsync(path);
            Assert.True(r.StatusCode == HttpStatusCode.NotFound, $"{path}: {r.StatusCode}");
        }
    }

    [Fact]
    public async Task GetDocTypeAnswersTheMetaAndItsChildTables()
    {
        using var admin = await _server.LoginAsync();
        var body = await BodyAsync(await admin.GetAsync("/api/method/frappe.desk.form.load.getdoctype?doctype=User"));
        var docs = body["docs"]!.AsArray();
        Assert.Equal("User", (string?)docs[0]!["name"]);
        Assert.Equal("DocType", (string?)docs[0]!["doctype"]);
        var roles = docs[0]!["fields"]!.AsArray().Single(f => (string?)f!["fieldname"] == "roles")!;
        Assert.Contains(docs, d => (string?)d!["name"] == (string?)roles["options"]);

        var missing = await admin.GetAsync("/api/method/frappe.desk.form.load.getdoctype?doctype=Nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("DoesNotExistError", (string?)(await BodyAsync(missing))["exc_type"]);

        using var guest = _server.Client();
        Assert.Equal(HttpStatusCode.Forbidden, (await guest.GetAsync("/api/method/frappe.desk.form.load.getdoctype?doctype=ToDo")).StatusCode);
    }
}
