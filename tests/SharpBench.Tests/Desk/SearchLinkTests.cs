using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Desk;

/// <summary>
/// <c>frappe.desk.search.search_link</c>, behind every Link field of the desk: the typed text
/// matches names and titles, answers come in Frappe's autosuggest shape, and the caller's read
/// rights decide what is found.
/// </summary>
public sealed class SearchLinkTests : IAsyncLifetime
{
    private LiveServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await LiveServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static async Task<string> NewToDoAsync(HttpClient client, string description)
    {
        var r = await client.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = description }));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return (string)(await BodyAsync(r))["data"]!["name"]!;
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> SearchAsync(HttpClient client, string query)
    {
        var r = await client.GetAsync("/api/method/frappe.desk.search.search_link?" + query);
        return (r.StatusCode, await BodyAsync(r));
    }

    [Fact]
    public async Task MatchesTitleTextAndAnswersValueLabelDescription()
    {
        using var admin = await _server.LoginAsync();
        var milk = await NewToDoAsync(admin, "Buy oat milk");
        await NewToDoAsync(admin, "Call the plumber");

        var (status, body) = await SearchAsync(admin, "doctype=ToDo&txt=milk");
        Assert.Equal(HttpStatusCode.OK, status);
        var results = body["message"]!.AsArray();
        var only = Assert.Single(results);
        Assert.Equal(milk, (string?)only!["value"]);
        Assert.Equal("Buy oat milk", (string?)only["label"]);
        Assert.NotNull(only["description"]);

        // By name too, and an empty text lists the newest first, up to page_length.
        Assert.Single((await SearchAsync(admin, $"doctype=ToDo&txt={milk[..6]}")).Body["message"]!.AsArray());
        var all = (await SearchAsync(admin, "doctype=ToDo&txt=&page_length=1")).Body["message"]!.AsArray();
        Assert.Single(all);
    }

    [Fact]
    public async Task FindsOnlyWhatTheUserMayRead()
    {
        using var admin = await _server.LoginAsync();
        await NewToDoAsync(admin, "alpha owned by Administrator");
        var create = await admin.PostAsync("/api/resource/User", Json(new JsonObject
        {
            ["email"] = "searcher@example.com",
            ["first_name"] = "Searcher",
            ["user_type"] = "System User",
            ["new_password"] = "Searcher-pass-1",
        }));
        Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        using var user = await _server.LoginAsync("searcher@example.com", "Searcher-pass-1");
        var own = await NewToDoAsync(user, "alpha owned by Searcher");

        // ToDo is if_owner for role All: the other user's ToDo is not found.
        var (status, body) = await SearchAsync(user, "doctype=ToDo&txt=alpha");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([own], body["message"]!.AsArray().Select(r => (string)r!["value"]!).ToArray());

        // A DocType the user cannot read at all: Frappe's PermissionError, nothing listed.
        var (denied, deniedBody) = await SearchAsync(user, "doctype=Error%20Log&txt=");
        Assert.Equal(HttpStatusCode.Forbidden, denied);
        Assert.Equal("PermissionError", (string?)deniedBody["exc_type"]);
        Assert.Null(deniedBody["message"]);
    }

    [Fact]
    public async Task GuestsAreRefused()
    {
        using var guest = _server.Client();
        var (status, body) = await SearchAsync(guest, "doctype=ToDo&txt=a");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("PermissionError", (string?)body["exc_type"]);
    }

    [Theory]
    [InlineData("doctype=No%20Such%20DocType&txt=a", HttpStatusCode.NotFound, "DoesNotExistError")]
    [InlineData("doctype=ToDo&txt=a&searchfield=name%3B%20drop%20table%20tabToDo", HttpStatusCode.ExpectationFailed, "DataError")]
    [InlineData("doctype=ToDo&txt=a&page_length=0", HttpStatusCode.ExpectationFailed, "DataError")]
    [InlineData("doctype=ToDo&txt=a&page_length=100000", HttpStatusCode.ExpectationFailed, "DataError")]
    [InlineData("doctype=ToDo&txt=a&start=-1", HttpStatusCode.ExpectationFailed, "DataError")]
    [InlineData("doctype=ToDo&txt=a&query=frappe.client.delete", HttpStatusCode.Forbidden, "PermissionError")]
    [InlineData("doctype=ToDo&txt=a&filters=%5B%5B%22nope%22%2C%22%3D%22%2C1%5D%5D", HttpStatusCode.ExpectationFailed, null)]
    public async Task BadInputGetsAClearErrorAndChangesNothing(string query, HttpStatusCode expected, string? excType)
    {
        using var admin = await _server.LoginAsync();
        await NewToDoAsync(admin, "untouched");
        var before = await _server.CountAsync("tabToDo");

        var (status, body) = await SearchAsync(admin, query);
        Assert.Equal(expected, status);
        if (excType is not null)
            Assert.Equal(excType, (string?)body["exc_type"]);
        Assert.NotNull(body["exception"] ?? body["_server_messages"]);
        Assert.Null(body["message"]);
        Assert.Equal(before, await _server.CountAsync("tabToDo"));
    }
}
