using System.Net;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary>
/// Issue 20, finding 5: <c>/login?redirect-to=</c> must never send a browser to another site.
/// <c>/%09/evil.example</c> came back as <c>Location: /\t/evil.example</c>, which browsers read as
/// <c>//evil.example</c>.
/// </summary>
public sealed class LoginRedirectTests : IAsyncLifetime
{
    private LiveServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await LiveServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    // Each as the raw, already percent-encoded query value.
    public static TheoryData<string> Attacks => new()
    {
        "/%09/evil.example", "/%0a/evil.example", "/%0d/evil.example", "/%00/evil.example", "%09//evil.example",
        "//evil.example", "/%5Cevil.example", "%5C%5Cevil.example", "/%5C/evil.example", "https://evil.example/",
        "http://evil.example", "http:evil.example", "javascript:alert(1)", "//evil.example%2F%2E%2E", "/%20/evil.example",
        "https://127.0.0.1.evil.example/", "http://user@evil.example/", "evil.example", "%E2%80%8B//evil.example",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task RedirectToAnotherSiteFallsBackToTheHomePage(string target)
    {
        // A browser already logged in is sent straight on.
        using var browser = await _server.LoginAsync();
        AssertHome(await browser.GetAsync("/login?redirect-to=" + target));

        // A form login with the target in the form.
        using var guest = _server.Client();
        var page = await (await guest.GetAsync("/login?redirect-to=" + target)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("name=\"redirect-to\"", page);
        AssertHome(await guest.PostAsync("/login", new StringContent($"usr=Administrator&pwd=admin&redirect-to={target}", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded")));
    }

    /// <summary>Sent to the home page, or (a NUL in the form) refused outright: never elsewhere.</summary>
    private static void AssertHome(HttpResponseMessage r)
    {
        if (r.StatusCode == HttpStatusCode.ExpectationFailed)
        {
            Assert.Null(r.Headers.Location);
            return;
        }
        Assert.Equal(HttpStatusCode.Found, r.StatusCode);
        Assert.Equal("/app", r.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task PathsOnThisSiteAreKept()
    {
        using var browser = await _server.LoginAsync();
        foreach (var (target, location) in new[]
        {
            ("%2Fapp%2Ftodo%3Fstatus%3DOpen", "/app/todo?status=Open"),
            ("/app/todo%23new", "/app/todo#new"),
            (Uri.EscapeDataString($"http://{_server.BaseUri.Authority}/app/user?x=1"), "/app/user?x=1"),
            ("/", "/"),
        })
        {
            var r = await browser.GetAsync("/login?redirect-to=" + target);
            Assert.Equal(HttpStatusCode.Found, r.StatusCode);
            Assert.Equal(location, r.Headers.Location?.OriginalString);
        }
        using var guest = _server.Client();
        var post = await guest.PostAsync("/login", Form(("usr", "Administrator"), ("pwd", "admin"), ("redirect-to", "/app/todo")));
        Assert.Equal("/app/todo", post.Headers.Location?.OriginalString);
    }
}
