using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SharpBench.Auth;
using SharpBench.Data;
using SharpBench.Sites;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary>Logins, sessions, API keys and CSRF over real HTTP (frappe/auth.py, frappe/sessions.py).</summary>
public sealed class AuthApiTests : IAsyncLifetime
{
    private LiveServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await LiveServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static Dictionary<string, string> SetCookies(HttpResponseMessage r) =>
        r.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.ToDictionary(v => v[..v.IndexOf('=', StringComparison.Ordinal)], v => v, StringComparer.Ordinal)
            : [];

    [Fact]
    public async Task LoginSetsFiveCookiesAndFrappesBody()
    {
        using var client = _server.Client();
        var r = await client.PostAsync("/api/method/login", Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "admin" }));
        var body = await BodyAsync(r);
        Assert.Equal("""{"message":"Logged In","home_page":"/app","full_name":"Administrator"}""", body.ToJsonString());
        var cookies = SetCookies(r);
        Assert.Equal(["full_name", "sid", "system_user", "user_id", "user_image"], cookies.Keys.Order());
        Assert.Matches("^sid=[0-9a-f]{56}; expires=.*; max-age=612000; path=/; samesite=lax; httponly$", cookies["sid"]);
        Assert.StartsWith("system_user=yes;", cookies["system_user"]);
        Assert.StartsWith("user_id=Administrator;", cookies["user_id"]);
        var sid = cookies["sid"][4..60];
        Assert.Equal(1, await _server.CountAsync("tabSessions", "sid = @p0 AND " + "status = @p1", sid, "Active"));

        Assert.Equal("Administrator", (string?)(await BodyAsync(await client.GetAsync("/api/method/frappe.auth.get_logged_user")))["message"]);
        // The sid may also come as a parameter instead of the cookie.
        using var other = _server.Client(cookies: false);
        Assert.Equal("Administrator", (string?)(await BodyAsync(await other.GetAsync("/api/method/frappe.auth.get_logged_user?sid=" + sid)))["message"]);
    }

    [Fact]
    public async Task FormLoginWorksAndGuestGetsGuestCookies()
    {
        using var client = _server.Client();
        var guest = await client.GetAsync("/api/method/frappe.auth.get_logged_user");
        Assert.Equal(HttpStatusCode.Forbidden, guest.StatusCode);
        Assert.StartsWith("sid=Guest;", SetCookies(guest)["sid"]);
        var r = await client.PostAsync("/api/method/login", Form(("usr", "administrator"), ("pwd", "admin")));
        Assert.Equal("Logged In", (string?)(await BodyAsync(r))["message"]);
    }

    [Theory]
    [InlineData("Administrator", "wrong", "Invalid login credentials")]
    [InlineData("nobody@example.com", "admin", "Invalid login credentials")]
    [InlineData("Guest", "", "Incomplete login details")]
    [InlineData("Administrator", null, "Incomplete login details")]
    public async Task FailedLoginIs401WithReasonAndNoSession(string usr, string? pwd, string reason)
    {
        using var client = _server.Client();
        var form = new JsonObject { ["usr"] = usr };
        if (pwd is not null)
            form["pwd"] = pwd;
        var r = await client.PostAsync("/api/method/login", Json(form));
        var body = await BodyAsync(r);
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("AuthenticationError", (string?)body["exc_type"]);
        Assert.Equal(reason, (string?)body["message"]);
        Assert.Equal(0, await _server.CountAsync("tabSessions"));
        Assert.Contains("max-age=0", SetCookies(r)["sid"]);
    }

    [Fact]
    public async Task OversizedPasswordIsRefused()
    {
        using var client = _server.Client();
        var r = await client.PostAsync("/api/method/login", Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = new string('a', 513) }));
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("Password size exceeded the maximum allowed size", (string?)(await BodyAsync(r))["message"]);
    }

    [Fact]
    public async Task TenFailuresLockTheUserWith429()
    {
        using var client = _server.Client();
        for (var i = 0; i < LoginLock.DefaultAttempts; i++)
        {
            var r = await client.PostAsync("/api/method/login", Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "wrong" + i }));
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }
        // Locked now, even with the right password.
        var locked = await client.PostAsync("/api/method/login", Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "admin" }));
        var body = await BodyAsync(locked);
        Assert.Equal((HttpStatusCode)429, locked.StatusCode);
        Assert.Equal("SecurityException", (string?)body["exc_type"]);
        Assert.Matches("^Your account has been locked and will resume after (60|59|58) seconds$", (string?)ServerMessages(body)[0]["message"]);
        Assert.Equal(0, await _server.CountAsync("tabSessions"));

        // The lock is the user's: another client address (through the local proxy) is locked out too.
        var other = new HttpRequestMessage(HttpMethod.Post, "/api/method/login") { Content = Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "admin" }) };
        other.Headers.Add("X-Forwarded-For", "203.0.113.9");
        Assert.Equal((HttpStatusCode)429, (await client.SendAsync(other)).StatusCode);
    }

    [Fact]
    public async Task DeadSidRunsAsGuestWithSessionExpiredAndLogoutEndsTheSession()
    {
        using var client = await _server.LoginAsync();
        Assert.Equal(1, await _server.CountAsync("tabSessions"));
        var logout = await client.PostAsync("/api/method/logout", Json(new JsonObject()));
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Contains("max-age=0", SetCookies(logout)["sid"]);
        Assert.Equal(0, await _server.CountAsync("tabSessions"));

        using var stale = _server.Client(cookies: false);
        var req = new HttpRequestMessage(HttpMethod.Get, "/api/method/sharpbench_tests.echo");
        req.Headers.Add("Cookie", "sid=" + new string('a', 56));
        var r = await stale.SendAsync(req);
        var body = await BodyAsync(r);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(1, (int?)body["session_expired"]);
    }

    [Fact]
    public async Task IdleSessionExpires()
    {
        using var client = await _server.LoginAsync();
        await using (var db = await _server.DbAsync())
            await db.ExecuteAsync($"UPDATE {db.Dialect.Quote("tabSessions")} SET lastupdate = @p0", [DbTime.Now().AddHours(-171)]);
        // The edit went behind the framework's back; the server would see it after the local cache's TTL.
        _server.Site.Host.Sessions.Local.Clear();
        var r = await client.GetAsync("/api/method/frappe.auth.get_logged_user");
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal(1, (int?)(await BodyAsync(r))["session_expired"]);
    }

    [Fact]
    public async Task ApiKeysTokenAndBasicAuth()
    {
        using var admin = await _server.LoginAsync();
        var r = await admin.PostAsync("/api/method/frappe.core.doctype.user.user.generate_keys", Json(new JsonObject { ["user"] = "Administrator" }));
        var secret = (string)(await BodyAsync(r))["message"]!["api_secret"]!;
        Assert.Equal(15, secret.Length);
        string key;
        await using (var db = await _server.DbAsync())
        {
            key = (string)(await db.ScalarAsync($"SELECT api_key FROM {db.Dialect.Quote("tabUser")} WHERE name = @p0", ["Administrator"]))!;
            var stored = (string)(await db.ScalarAsync($"SELECT password FROM {db.Dialect.Quote("__Auth")} WHERE name = @p0 AND fieldname = @p1", ["Administrator", "api_secret"]))!;
            Assert.DoesNotContain(secret, stored);
        }

        using var client = _server.Client(cookies: false);
        async Task<HttpResponseMessage> Call(string? header)
        {
            var req = new HttpRequestMessage(HttpMethod.Get, "/api/method/frappe.auth.get_logged_user");
            if (header is not null)
                req.Headers.TryAddWithoutValidation("Authorization", header);
            return await client.SendAsync(req);
        }
        var ok = await Call($"token {key}:{secret}");
        Assert.Equal("Administrator", (string?)(await BodyAsync(ok))["message"]);
        Assert.StartsWith("sid=Guest;", SetCookies(ok)["sid"]);
        Assert.Equal("Administrator", (string?)(await BodyAsync(await Call($"Token {key}:{secret}")))["message"]);
        Assert.Equal("Administrator", (string?)(await BodyAsync(await Call("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{key}:{secret}")))))["message"]);
        // Token auth opens no session: the only row is the admin's own login above.
        Assert.Equal(1, await _server.CountAsync("tabSessions"));

        foreach (var bad in new[] { $"token {key}:wrong", "token bad:bad", $"token {key}:{secret}:x", "Bearer abc", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x:y")) })
        {
            var resp = await Call(bad);
            Assert.Equal(HttpStatusCode.Unauthorized, resp.StatusCode);
            var body = await BodyAsync(resp);
            Assert.Equal("AuthenticationError", (string?)body["exc_type"]);
            Assert.Equal("frappe.exceptions.AuthenticationError", (string?)body["exception"]);
        }
        // A header that is not "<scheme> <credential>" is ignored: the request runs as Guest.
        var ignored = await Call($"token {key} {secret}");
        Assert.Equal(HttpStatusCode.Forbidden, ignored.StatusCode);
        var undecodable = await Call("Basic %%%not-base64");
        Assert.Equal(HttpStatusCode.BadRequest, undecodable.StatusCode);
        Assert.Equal("InvalidAuthorizationToken", (string?)(await BodyAsync(undecodable))["exc_type"]);
    }

    [Fact]
    public async Task GenerateKeysNeedsSystemManager()
    {
        using var guest = _server.Client();
        var r = await guest.PostAsync("/api/method/frappe.core.doctype.user.user.generate_keys", Json(new JsonObject { ["user"] = "Administrator" }));
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal(0, await _server.CountAsync("__Auth", "fieldname = @p0", "api_secret"));
    }

    [Fact]
    public async Task CsrfIsCheckedOnlyOnceTheSessionOwnsAToken()
    {
        using var client = await _server.LoginAsync();
        // An API login never loaded /app: writes pass without the header.
        var before = await client.PostAsync("/api/method/sharpbench_tests.write_default", Json(new JsonObject { ["key"] = "no_token_yet" }));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var app = await client.GetAsync("/app");
        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        var html = await app.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "window.csrf_token = \"([0-9a-f]+)\"").Groups[1].Value;
        Assert.Equal(56, token.Length);

        var refused = await client.PostAsync("/api/method/sharpbench_tests.write_default", Json(new JsonObject { ["key"] = "refused" }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = await BodyAsync(refused);
        Assert.Equal("CSRFTokenError", (string?)body["exc_type"]);
        Assert.Null(body["exception"]);
        Assert.Equal(0, await _server.CountAsync("tabDefaultValue", "defkey = @p0", "refused"));

        var withHeader = new HttpRequestMessage(HttpMethod.Post, "/api/method/sharpbench_tests.write_default") { Content = Json(new JsonObject { ["key"] = "accepted" }) };
        withHeader.Headers.Add("X-Frappe-CSRF-Token", token);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withHeader)).StatusCode);
        Assert.Equal(1, await _server.CountAsync("tabDefaultValue", "defkey = @p0", "accepted"));
        // Reads are never checked.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/method/frappe.auth.get_logged_user")).StatusCode);
    }

    [Fact]
    public async Task LoginPageWorksWithoutJavaScript()
    {
        using var browser = _server.Client();
        var home = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Found, home.StatusCode);
        Assert.Equal("/login", home.Headers.Location?.ToString());
        var page = await browser.GetAsync("/login");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" action=\"/login\">", html);
        Assert.Contains("name=\"usr\"", html);
        Assert.Contains("name=\"pwd\"", html);

        var bad = await browser.PostAsync("/login", Form(("usr", "Administrator"), ("pwd", "nope")));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Contains("Invalid login credentials", await bad.Content.ReadAsStringAsync());
        Assert.Equal(0, await _server.CountAsync("tabSessions"));

        var good = await browser.PostAsync("/login", Form(("usr", "Administrator"), ("pwd", "admin")));
        Assert.Equal(HttpStatusCode.Found, good.StatusCode);
        Assert.Equal("/app", good.Headers.Location?.ToString());
        Assert.Equal("/app", (await browser.GetAsync("/")).Headers.Location?.ToString());
        var app = await (await browser.GetAsync("/app")).Content.ReadAsStringAsync();
        Assert.Contains("<a href=\"/api/resource/User\">User</a>", app);
    }

    [Fact]
    public async Task AppPageListsOnlyReadableDocTypesAndSendsGuestsToLogin()
    {
        using var guest = _server.Client();
        var r = await guest.GetAsync("/app");
        Assert.Equal(HttpStatusCode.Found, r.StatusCode);
        Assert.StartsWith("/login", r.Headers.Location?.ToString());
    }
}

/// <summary>Sessions kept in Redis (redis_cache) as well as in tabSessions.</summary>
public sealed class RedisSessionTests
{
    [Fact]
    public async Task SessionIsCachedInRedisAndLogoutRemovesIt()
    {
        await using var server = await LiveServer.StartAsync(siteConfig: c => c["redis_cache"] = TestServices.RedisCache);
        using var client = await server.LoginAsync();
        var sid = (await server.CountAsync("tabSessions")) == 1 ? await SidAsync(server) : throw new InvalidOperationException("no session row");
        var redis = (await SharpBench.Auth.RedisConnections.DatabaseAsync(TestServices.RedisCache))!;
        var key = $"{server.Site.Config.GetString("db_name")}|session|{sid}";
        Assert.True(await redis.KeyExistsAsync(key));
        var ttl = await redis.KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value.TotalHours, 169, 170.01);
        // The realtime server looks sessions up directly.
        Assert.Equal("Administrator", (await SessionStore.GetAsync(server.Site, sid))!.User);

        await client.PostAsync("/api/method/logout", Json(new JsonObject()));
        Assert.False(await redis.KeyExistsAsync(key));
        Assert.Null(await SessionStore.GetAsync(server.Site, sid));
    }

    private static async Task<string> SidAsync(LiveServer server)
    {
        await using var db = await server.DbAsync();
        return (string)(await db.ScalarAsync($"SELECT sid FROM {db.Dialect.Quote("tabSessions")}", []))!;
    }
}
