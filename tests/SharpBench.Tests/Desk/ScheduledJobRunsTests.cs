using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Desk;

/// <summary>The desk's Scheduled Job Type page shows each job's next run, which no list query can select (a virtual field).</summary>
public sealed class ScheduledJobRunsTests : IAsyncLifetime
{
    private LiveServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await LiveServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task EveryJobHasItsNextRunAndAStoppedJobHasNone()
    {
        using var admin = await _server.LoginAsync();
        var body = await BodyAsync(await admin.GetAsync("/api/method/sharpbench.desk.scheduled_job_runs"));
        var runs = body["message"]!.AsArray();
        Assert.NotEmpty(runs);
        foreach (var run in runs)
        {
            var next = DateTime.ParseExact((string)run!["next_execution"]!, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            Assert.True(next > DateTime.UtcNow.AddDays(-2) && next < DateTime.UtcNow.AddDays(9), $"{run["name"]}: {next}");
        }

        var name = (string)runs[0]!["name"]!;
        var stop = await admin.PutAsync($"/api/resource/Scheduled%20Job%20Type/{Uri.EscapeDataString(name)}", Json(new JsonObject { ["stopped"] = 1 }));
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        var one = (await BodyAsync(await admin.GetAsync($"/api/method/sharpbench.desk.scheduled_job_runs?name={Uri.EscapeDataString(name)}")))["message"]!.AsArray();
        Assert.Null(Assert.Single(one)!["next_execution"]);
    }

    [Fact]
    public async Task OnlyReadersOfScheduledJobTypesMayAsk()
    {
        using var admin = await _server.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/resource/User", Json(new JsonObject
        {
            ["email"] = "plain@example.com",
            ["first_name"] = "Plain",
            ["user_type"] = "System User",
            ["new_password"] = "Plain-pass-1",
        }))).StatusCode);
        using var user = await _server.LoginAsync("plain@example.com", "Plain-pass-1");
        var r = await user.GetAsync("/api/method/sharpbench.desk.scheduled_job_runs");
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal("PermissionError", (string?)(await BodyAsync(r))["exc_type"]);
    }
}
