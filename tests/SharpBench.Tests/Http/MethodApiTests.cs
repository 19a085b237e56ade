using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary><c>/api/method</c>: form_dict rules, binding, envelopes, status codes and transactions.</summary>
public sealed class MethodApiTests : IAsyncLifetime
{
    private LiveServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await LiveServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task JsonBodyReplacesQueryStringAndDropsCacheBuster()
    {
        using var client = _server.Client();
        var r = await client.PostAsync("/api/method/sharpbench_tests.echo?from_query=1&a=q", Json(new JsonObject { ["a"] = 1, ["_"] = "123", ["nested"] = new JsonObject { ["x"] = true } }));
        var body = await BodyAsync(r);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("""{"a":1,"nested":{"x":true}}""", body["message"]!.ToJsonString());
    }

    [Fact]
    public async Task QueryThenFormFieldsFirstValueWinsAllStrings()
    {
        using var client = _server.Client();
        var r = await client.PostAsync("/api/method/sharpbench_tests.echo?a=q&b=1&b=2&_=9", Form(("a", "form"), ("c", "3")));
        var body = await BodyAsync(r);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":"form","b":"1","c":"3"}"""), body["message"]), body.ToJsonString());
        // GET with a JSON content type and an empty body (what frappe-js-sdk sends) reads the query.
        var get = new HttpRequestMessage(HttpMethod.Get, "/api/method/sharpbench_tests.echo?x=1") { Content = RawJson("") };
        body = await BodyAsync(await client.SendAsync(get));
        Assert.Equal("""{"x":"1"}""", body["message"]!.ToJsonString());
    }

    [Fact]
    public async Task ArrayBodyBecomesData()
    {
        using var client = _server.Client();
        var body = await BodyAsync(await client.PostAsync("/api/method/sharpbench_tests.echo", RawJson("[1,\"two\"]")));
        Assert.Equal("""{"data":[1,"two"]}""", body["message"]!.ToJsonString());
    }

    [Theory]
    [InlineData("{bad json")]
    [InlineData("\"just a string\"")]
    [InlineData("42")]
    [InlineData("{\"a\":1,\"a\":2}")]
    public async Task MalformedOrNonObjectJsonIs417AndWritesNothing(string payload)
    {
        using var client = _server.Client();
        var before = await _server.CountAsync("tabDefaultValue");
        var r = await client.PostAsync("/api/method/sharpbench_tests.write_default?key=k", RawJson(payload));
        var body = await BodyAsync(r);
        Assert.Equal((HttpStatusCode)417, r.StatusCode);
        Assert.Equal("ValidationError", (string?)body["exc_type"]);
        Assert.StartsWith("Invalid request arguments", (string?)ServerMessages(body)[0]["message"]);
        Assert.Equal(before, await _server.CountAsync("tabDefaultValue"));
    }

    [Fact]
    public async Task OversizedBodyIs413HtmlAndWritesNothing()
    {
        using var client = _server.Client();
        var before = await _server.CountAsync("tabDefaultValue");
        var big = "{\"key\":\"" + new string('x', 10 * 1024 * 1024) + "\"}";
        var r = await client.PostAsync("/api/method/sharpbench_tests.write_default", RawJson(big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Request Entity Too Large", await r.Content.ReadAsStringAsync());
        Assert.Equal(before, await _server.CountAsync("tabDefaultValue"));
    }

    [Fact]
    public async Task CoercesTypedArgumentsFromStrings()
    {
        using var client = _server.Client();
        var body = await BodyAsync(await client.GetAsync("/api/method/sharpbench_tests.typed?flag=false&count=7&options=%7B%22k%22%3A1%7D"));
        Assert.True(body["message"] is not null, body.ToJsonString());
        Assert.Equal("""{"flag":false,"count":7,"options":{"k":1},"ratio":1.5}""", body["message"]!.ToJsonString());
        body = await BodyAsync(await client.PostAsync("/api/method/sharpbench_tests.typed", Json(new JsonObject { ["flag"] = 1, ["count"] = "3", ["options"] = new JsonObject() })));
        Assert.Equal("""{"flag":true,"count":3,"options":{},"ratio":1.5}""", body["message"]!.ToJsonString());
    }

    [Theory]
    [InlineData("flag=maybe&count=1", "Argument 'flag' should be of type 'bool' but got 'str' instead.")]
    [InlineData("flag=1&count=1.5", "Argument 'count' should be of type 'int' but got 'str' instead.")]
    [InlineData("flag=1&count=1&options=%5B1%5D", "Argument 'options' should be of type 'dict' but got 'str' instead.")]
    public async Task FailedCoercionIs417FrappeTypeError(string query, string message)
    {
        using var client = _server.Client();
        var r = await client.GetAsync("/api/method/sharpbench_tests.typed?" + query);
        var body = await BodyAsync(r);
        Assert.Equal((HttpStatusCode)417, r.StatusCode);
        Assert.Equal("FrappeTypeError", (string?)body["exc_type"]);
        Assert.Equal(message, (string?)ServerMessages(body)[0]["message"]);
    }

    [Fact]
    public async Task MissingRequiredArgumentIsTypeError500()
    {
        using var client = _server.Client();
        var r = await client.GetAsync("/api/method/sharpbench_tests.typed?flag=1");
        var body = await BodyAsync(r);
        Assert.Equal(HttpStatusCode.InternalServerError, r.StatusCode);
        Assert.Equal("TypeError", (string?)body["exc_type"]);
        Assert.Contains("missing 1 required positional argument: 'count'", (string?)body["exception"]);
    }

    [Fact]
    public async Task NullResultHasNoMessageKeyButFalsyValuesAreKept()
    {
        using var client = _server.Client();
        var body = await BodyAsync(await client.GetAsync("/api/method/sharpbench_tests.nothing"));
        Assert.Equal("{}", body.ToJsonString());
        body = await BodyAsync(await client.GetAsync("/api/method/sharpbench_tests.zero"));
        Assert.Equal("""{"message":0}""", body.ToJsonString());
    }

    [Fact]
    public async Task UnknownMethodIs417()
    {
        using var client = _server.Client();
        foreach (var name in new[] { "frappe.nothing.here", "version" })
        {
            var r = await client.GetAsync("/api/method/" + name);
            var body = await BodyAsync(r);
            Assert.Equal((HttpStatusCode)417, r.StatusCode);
            Assert.Equal("ValidationError", (string?)body["exc_type"]);
            Assert.StartsWith($"Failed to get method for command {name} with", (string?)ServerMessages(body)[0]["message"]);
        }
    }

    [Fact]
    public async Task NotWhitelistedAndGuestAndWrongHttpMethodAre403()
    {
        using var client = _server.Client();
        var r = await client.GetAsync("/api/method/sharpbench_tests.not_whitelisted");
        var body = await BodyAsync(r);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal("PermissionError", (string?)body["exc_type"]);
        var message = ServerMessages(body)[0];
        Assert.Equal("Method Not Allowed", (string?)message["title"]);
        Assert.Equal("<details><summary>You are not permitted to access this resource.</summary>Function <strong>sharpbench_tests.not_whitelisted</strong> is not whitelisted.</details>", (string?)message["message"]);

        r = await client.GetAsync("/api/method/sharpbench_tests.users_only");
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal("PermissionError", (string?)(await BodyAsync(r))["exc_type"]);

        r = await client.GetAsync("/api/method/sharpbench_tests.post_only");
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal("Not permitted", (string?)ServerMessages(await BodyAsync(r))[0]["message"]);
        r = await client.PostAsync("/api/method/sharpbench_tests.post_only", Json(new JsonObject()));
        Assert.Equal("posted", (string?)(await BodyAsync(r))["message"]);
    }

    [Fact]
    public async Task GetRollsBackPostCommitsErrorsRollBack()
    {
        using var client = _server.Client();
        var get = await client.GetAsync("/api/method/sharpbench_tests.write_default?key=from_get");
        Assert.Equal("from_get", (string?)(await BodyAsync(get))["message"]);
        Assert.Equal(0, await _server.CountAsync("tabDefaultValue", "defkey = @p0", "from_get"));

        var post = await client.PostAsync("/api/method/sharpbench_tests.write_default", Json(new JsonObject { ["key"] = "from_post" }));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(1, await _server.CountAsync("tabDefaultValue", "defkey = @p0", "from_post"));

        var failed = await client.PostAsync("/api/method/sharpbench_tests.write_default", Json(new JsonObject { ["key"] = "failed", ["fail"] = true }));
        Assert.Equal((HttpStatusCode)417, failed.StatusCode);
        var body = await BodyAsync(failed);
        Assert.Equal("frappe.exceptions.ValidationError: failing after the write", (string?)body["exception"]);
        Assert.IsType<string>((string?)body["exc"]);
        Assert.Equal(0, await _server.CountAsync("tabDefaultValue", "defkey = @p0", "failed"));
    }

    [Fact]
    public async Task UnknownApiRouteIs404JsonAndPatchIs405Html()
    {
        using var client = _server.Client();
        foreach (var path in new[] { "/api/nothing", "/api/v1/other/x", "/api/method/" })
        {
            var r = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Equal("DoesNotExistError", (string?)(await BodyAsync(r))["exc_type"]);
        }
        var patch = await client.PatchAsync("/api/resource/User/Administrator", Json(new JsonObject { ["first_name"] = "X" }));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, patch.StatusCode);
        Assert.Equal("text/html", patch.Content.Headers.ContentType?.MediaType);
        Assert.Contains("PUT", patch.Content.Headers.Allow);
        Assert.Contains("<title>405 Method Not Allowed</title>", await patch.Content.ReadAsStringAsync());
        await using var db = await _server.DbAsync();
        Assert.Equal("Administrator", await db.ScalarAsync("SELECT first_name FROM " + db.Dialect.Quote("tabUser") + " WHERE name = @p0", ["Administrator"]));
    }

    [Fact]
    public async Task V1PrefixAndLegacyCmdAnswerTheSame()
    {
        using var client = _server.Client();
        var body = await BodyAsync(await client.GetAsync("/api/v1/method/sharpbench_tests.echo?a=1"));
        Assert.Equal("""{"a":"1"}""", body["message"]!.ToJsonString());
        body = await BodyAsync(await client.PostAsync("/", Json(new JsonObject { ["cmd"] = "sharpbench_tests.echo", ["b"] = 2 })));
        Assert.Equal("""{"b":2}""", body["message"]!.ToJsonString());
        body = await BodyAsync(await client.PostAsync("/", Form(("cmd", "ping"))));
        Assert.Equal("pong", (string?)body["message"]);
    }

    [Fact]
    public async Task NonAsciiIsEscapedAndHtmlIsNot()
    {
        using var client = _server.Client();
        // echo_raw is XssSafe: the markup reaches the method, so this checks only the JSON encoder.
        var r = await client.PostAsync("/api/method/sharpbench_tests.echo_raw", Json(new JsonObject { ["t"] = "é<b>" }));
        Assert.Equal("application/json", r.Content.Headers.ContentType?.ToString());
        Assert.Equal("""{"message":{"t":"\u00e9<b>"}}""", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GuestMarkupArrivesEscapedButAUsersIsUntouched()
    {
        const string planted = "<script>alert(1)</script><b>hi</b> é";
        using var guest = _server.Client();
        var r = await guest.PostAsync("/api/method/sharpbench_tests.echo", Json(new JsonObject { ["comment"] = planted, ["math"] = "a < b > c", ["n"] = 3 }));
        var body = await BodyAsync(r);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;hi&lt;/b&gt; é", (string?)body["message"]!["comment"]);
        // Text that holds no tag is left as it was.
        Assert.Equal("a < b > c", (string?)body["message"]!["math"]);
        Assert.Equal(3, (int?)body["message"]!["n"]);

        using var user = await _server.LoginAsync();
        body = await BodyAsync(await user.PostAsync("/api/method/sharpbench_tests.echo", Json(new JsonObject { ["comment"] = planted })));
        Assert.Equal(planted, (string?)body["message"]!["comment"]);
    }

    [Fact]
    public async Task XssSafeMethodGetsGuestMarkupAsSent()
    {
        using var guest = _server.Client();
        var body = await BodyAsync(await guest.PostAsync("/api/method/sharpbench_tests.echo_raw", Json(new JsonObject { ["comment"] = "<i>x</i>" })));
        Assert.Equal("<i>x</i>", (string?)body["message"]!["comment"]);
    }
}
