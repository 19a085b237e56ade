using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Auth;
using SharpBench.Data;
using SharpBench.Scheduling;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary>
/// Issue 20, finding 6: the failed-login lock was keyed on (user, address) and the address was
/// the first, client-written <c>X-Forwarded-For</c> hop, so a new made-up address per attempt
/// never locked anything. Now the user's own counter ignores addresses, the address counter
/// spans users (Frappe's two trackers), and the address is the hop the nearest trusted proxy saw.
/// </summary>
public sealed class LoginLockTests
{
    private static HttpRequestMessage Login(string user, string password, string? forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/method/login") { Content = Json(new JsonObject { ["usr"] = user, ["pwd"] = password }) };
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    private static async Task<string?> LastIpAsync(LiveServer server)
    {
        await using var db = await server.DbAsync();
        return (string?)await db.ScalarAsync($"SELECT {db.Dialect.Quote("last_ip")} FROM {db.Dialect.Quote("tabUser")} WHERE {db.Dialect.Quote("name")} = @p0", ["Administrator"]);
    }

    [Fact]
    public async Task ANewForwardedAddressPerAttemptDoesNotDodgeTheLock()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = server.Client();
        for (var i = 0; i < LoginLock.DefaultAttempts; i++)
        {
            var r = await client.SendAsync(Login("Administrator", "wrong" + i, $"203.0.113.{i + 1}"));
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }
        // The right password, from yet another address, or from none: still locked.
        foreach (var address in new[] { "198.51.100.77", "6.6.6.6, 198.51.100.78", null })
        {
            var locked = await client.SendAsync(Login("Administrator", "admin", address));
            Assert.Equal((HttpStatusCode)429, locked.StatusCode);
            Assert.Equal("SecurityException", (string?)(await BodyAsync(locked))["exc_type"]);
        }
        Assert.Equal(0, await server.CountAsync("tabSessions"));
    }

    [Fact]
    public async Task OneAddressFailingForManyUsersIsLockedButOthersAreNot()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = server.Client();
        for (var i = 0; i < LoginLock.DefaultAttempts; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Login($"nobody{i}@example.com", "x", "198.51.100.1"))).StatusCode);
        Assert.Equal((HttpStatusCode)429, (await client.SendAsync(Login("Administrator", "admin", "198.51.100.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Login("Administrator", "admin", "198.51.100.2"))).StatusCode);
    }

    [Fact]
    public async Task SystemSettingsSetTheNumberOfAttempts()
    {
        await using var server = await LiveServer.StartAsync();
        await using (var db = await server.DbAsync())
            await SystemSettings.SetAsync(db, "allow_consecutive_login_attempts", "3");
        using var client = server.Client();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Login("Administrator", "wrong", $"203.0.113.{i + 1}"))).StatusCode);
        Assert.Equal((HttpStatusCode)429, (await client.SendAsync(Login("Administrator", "admin", "203.0.113.50"))).StatusCode);
    }

    [Fact]
    public async Task TheAddressIsTheHopTheNearestTrustedProxySaw()
    {
        // Default: the local proxy (loopback) is trusted; the client wrote the first hop itself.
        await using (var server = await LiveServer.StartAsync())
        {
            using var client = server.Client();
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Login("Administrator", "admin", "6.6.6.6, 203.0.113.7"))).StatusCode);
            Assert.Equal("203.0.113.7", await LastIpAsync(server));
            // Through two trusted proxies (a private one behind loopback), the hop before them.
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Login("Administrator", "admin", "6.6.6.6, 203.0.113.8, 10.1.2.3"))).StatusCode);
            Assert.Equal("203.0.113.8", await LastIpAsync(server));
        }

        // Proxies not listed are not believed at all.
        foreach (var trusted in new JsonNode[] { new JsonArray(), new JsonArray("10.0.0.0/8"), JsonValue.Create("192.0.2.1, private") })
        {
            await using var server = await LiveServer.StartAsync(commonConfig: c => c[SharpBench.Http.TrustedProxies.ConfigKey] = trusted.DeepClone());
            using var client = server.Client();
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Login("Administrator", "admin", "203.0.113.7"))).StatusCode);
            Assert.Equal("127.0.0.1", await LastIpAsync(server));
        }
    }
}
