using System.Net;
using SharpBench.Data;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Http;

public class SiteResolutionTests
{
    private static HttpRequestMessage Get(string path, string? host = null, string? siteHeader = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null)
            request.Headers.Host = host;
        if (siteHeader is not null)
            request.Headers.TryAddWithoutValidation("X-Frappe-Site-Name", siteHeader);
        return request;
    }

    [Fact]
    public async Task PingAnswersPongOnEveryRoute()
    {
        await using var bench = new TempBench();
        await bench.CreateSiteAsync(DbKind.Sqlite, setDefault: true);
        await using var web = await WebHost.StartAsync(bench.Bench);

        foreach (var path in new[] { "/api/method/ping", "/api/v1/method/ping", "/api/method/frappe.ping" })
        {
            using var get = await web.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal("application/json", get.Content.Headers.ContentType!.MediaType);
            Assert.Equal("{\"message\":\"pong\"}", await get.Content.ReadAsStringAsync());
        }
        using var post = await web.Client.PostAsync("/api/method/ping", null);
        Assert.Equal("{\"message\":\"pong\"}", await post.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HeaderThenHostThenDefaultSite()
    {
        await using var bench = new TempBench();
        var first = await bench.CreateSiteAsync(DbKind.Sqlite, setDefault: true);
        var second = await bench.CreateSiteAsync(DbKind.Sqlite);
        await using var web = await WebHost.StartAsync(bench.Bench);

        // Host with a port: the port is stripped.
        using var byHost = await web.Client.SendAsync(Get("/api/method/ping", host: $"{second.Name}:8000"));
        Assert.Equal(HttpStatusCode.OK, byHost.StatusCode);

        // The header wins over Host.
        using var headerWins = await web.Client.SendAsync(Get("/api/method/ping", host: "unknown.example", siteHeader: second.Name));
        Assert.Equal(HttpStatusCode.OK, headerWins.StatusCode);
        using var headerUnknown = await web.Client.SendAsync(Get("/api/method/ping", host: second.Name, siteHeader: "unknown.example"));
        Assert.Equal(HttpStatusCode.NotFound, headerUnknown.StatusCode);

        // localhost falls back to the default site.
        using var local = await web.Client.SendAsync(Get("/api/method/ping", host: "localhost:8000"));
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        Assert.Equal(first.Name, bench.Bench.DefaultSite);
    }

    [Fact]
    public async Task LocalhostWithoutDefaultSiteIsNotFound()
    {
        await using var bench = new TempBench();
        await bench.CreateSiteAsync(DbKind.Sqlite);
        await using var web = await WebHost.StartAsync(bench.Bench);

        using var response = await web.Client.SendAsync(Get("/api/method/ping", host: "localhost"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("nosuch.localhost")]
    [InlineData("../..")]
    [InlineData("%2e%2e")]
    [InlineData("..%2f..%2fetc")]
    [InlineData("site/../../etc")]
    [InlineData(".hidden")]
    public async Task UnknownOrHostileSiteGetsFrappesHtml404(string name)
    {
        await using var bench = new TempBench();
        await bench.CreateSiteAsync(DbKind.Sqlite, setDefault: true);
        await using var web = await WebHost.StartAsync(bench.Bench);
        var before = Directory.GetFileSystemEntries(bench.Root, "*", SearchOption.AllDirectories).Length;

        using var response = await web.Client.SendAsync(Get("/api/method/ping", siteHeader: name));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>404 Not Found</title>", body);
        Assert.Contains(WebUtility.HtmlEncode(name) + " does not exist", body);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(before, Directory.GetFileSystemEntries(bench.Root, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task SiteCreatedWhileServingIsFound()
    {
        await using var bench = new TempBench();
        await using var web = await WebHost.StartAsync(bench.Bench);
        var name = TempBench.UniqueSite();
        using (var before = await web.Client.SendAsync(Get("/api/method/ping", siteHeader: name)))
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);

        await bench.CreateSiteAsync(DbKind.Sqlite, name);
        await Task.Delay(SharpBench.Sites.SiteRegistry.RecheckInterval + TimeSpan.FromMilliseconds(200));

        using var after = await web.Client.SendAsync(Get("/api/method/ping", siteHeader: name));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task HealthCheckNeedsNoSite()
    {
        await using var bench = new TempBench();
        await using var web = await WebHost.StartAsync(bench.Bench);
        using var response = await web.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
