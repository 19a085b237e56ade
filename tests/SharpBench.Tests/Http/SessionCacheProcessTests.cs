using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary>
/// Two `bench serve` replicas of one bench: each keeps the sessions it read for a few seconds,
/// so a logout on one must reach the other through the site's redis_cache.
/// </summary>
public class SessionCacheProcessTests
{
    [Fact]
    public async Task LogoutOnOneReplicaIsRefusedByTheOtherAtOnce()
    {
        await using var bench = new TempBench();
        await bench.CreateSiteAsync(DbKind.Sqlite, setDefault: true);
        bench.Bench.UpdateCommonConfig(c => c["redis_cache"] = TestServices.RedisCache);
        await using var a = await ServeProcess.StartAsync(bench.Root);
        await using var b = await ServeProcess.StartAsync(bench.Root);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var login = await http.PostAsync(new Uri(a.BaseUri, "/api/method/login"), Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "admin" }));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var sid = login.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("sid=", StringComparison.Ordinal)).Split(';')[0][4..];

        // B reads the session once, and from then on holds it in its local cache.
        Assert.Equal(HttpStatusCode.OK, (await LoggedUserAsync(http, b, sid)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoggedUserAsync(http, b, sid)).StatusCode);

        var logout = new HttpRequestMessage(HttpMethod.Post, new Uri(a.BaseUri, "/api/method/logout")) { Content = Json(new JsonObject()) };
        logout.Headers.Add("Cookie", "sid=" + sid);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(logout)).StatusCode);

        // Well inside the local cache's 5 s lifetime: only the Redis notice can explain a refusal.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage r;
        while ((r = await LoggedUserAsync(http, b, sid)).StatusCode == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(1))
            await Task.Delay(20);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal(1, (int?)JsonNode.Parse(await r.Content.ReadAsStringAsync())!["session_expired"]);
    }

    private static Task<HttpResponseMessage> LoggedUserAsync(HttpClient http, ServeProcess server, string sid)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri, "/api/method/frappe.auth.get_logged_user"));
        request.Headers.Add("Cookie", "sid=" + sid);
        return http.SendAsync(request);
    }
}
