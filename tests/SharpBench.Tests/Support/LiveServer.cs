using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Hosting;
using SharpBench.Http;
using SharpBench.Sites;

namespace SharpBench.Tests.Support;

/// <summary>A real Kestrel serving a fresh site of a throwaway bench on a random loopback port.</summary>
public sealed class LiveServer : IAsyncDisposable
{
    private readonly TempBench _bench;
    private readonly WebApplication _app;

    private LiveServer(TempBench bench, Site site, WebApplication app, Uri baseUri)
    {
        _bench = bench;
        _app = app;
        Site = site;
        BaseUri = baseUri;
    }

    public Site Site { get; }
    public Uri BaseUri { get; }
    public Bench Bench => _bench.Bench;

    /// <summary>The server's own services: its job backends, caches and connections.</summary>
    public IServiceProvider Services => _app.Services;

    public static async Task<LiveServer> StartAsync(DbKind kind = DbKind.Sqlite, Action<JsonObject>? siteConfig = null, Action<JsonObject>? commonConfig = null)
    {
        var bench = new TempBench();
        if (commonConfig is not null)
            bench.Bench.UpdateCommonConfig(commonConfig);
        var site = await bench.CreateSiteAsync(kind, setDefault: true);
        if (siteConfig is not null)
        {
            var path = Path.Combine(site.Path, Bench.SiteConfigFile);
            var config = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(path))!;
            siteConfig(config);
            await File.WriteAllTextAsync(path, config.ToJsonString());
            site = BenchHost.Sites(bench.Bench).Find(site.Name)!;
        }
        var app = WebServer.Build(bench.Bench, "127.0.0.1", 0);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // The site as the server resolves it: work a test does through it shares the server's caches.
        site = app.Services.GetRequiredService<SiteRegistry>().Find(site.Name)!;
        return new LiveServer(bench, site, app, new Uri(address));
    }

    /// <summary>A client with its own cookie jar, like one browser or one SDK instance.</summary>
    public HttpClient Client(bool cookies = true, bool redirects = false) =>
        new(new HttpClientHandler { UseCookies = cookies, CookieContainer = new CookieContainer(), AllowAutoRedirect = redirects }) { BaseAddress = BaseUri };

    public async Task<HttpClient> LoginAsync(string user = "Administrator", string password = "admin")
    {
        var client = Client();
        var response = await client.PostAsync("/api/method/login", Json(new JsonObject { ["usr"] = user, ["pwd"] = password }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return client;
    }

    public async Task<Database> DbAsync() => await Site.OpenDatabaseAsync();

    public async Task<long> CountAsync(string table, string? where = null, params object?[] args)
    {
        await using var db = await DbAsync();
        var sql = $"SELECT COUNT(*) FROM {db.Dialect.Quote(table)}" + (where is null ? "" : " WHERE " + where);
        return Convert.ToInt64(await db.ScalarAsync(sql, args), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public static StringContent RawJson(string body) => new(body, Encoding.UTF8, "application/json");

    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    public static async Task<JsonObject> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"expected JSON, got {response.Content.Headers.ContentType}: {text}");
        return (JsonObject)JsonNode.Parse(text)!;
    }

    /// <summary>Decodes Frappe's double-encoded <c>_server_messages</c> into message objects.</summary>
    public static List<JsonObject> ServerMessages(JsonObject body) =>
        body["_server_messages"] is null
            ? []
            : JsonNode.Parse((string)body["_server_messages"]!)!.AsArray().Select(s => (JsonObject)JsonNode.Parse((string)s!)!).ToList();

    public static AuthenticationHeaderValue Token(string key, string secret) => new("token", $"{key}:{secret}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _bench.DisposeAsync();
    }
}
