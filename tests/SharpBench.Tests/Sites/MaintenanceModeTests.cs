using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Sites;

/// <summary>
/// <c>set-maintenance-mode</c>: the web stops with Frappe's SessionStopped 503, or, with
/// <c>allow_reads_during_maintenance</c>, serves reads and refuses writes with InReadOnlyMode;
/// <c>migrate</c> runs inside it and leaves it however it ends.
/// </summary>
public sealed class MaintenanceModeTests
{
    private static async Task SettleAsync() => await Task.Delay(SiteRegistry.RecheckInterval + TimeSpan.FromMilliseconds(300));

    [Fact]
    public async Task MaintenanceStopsRequestsAndReadOnlyModeServesReadsOnly()
    {
        await using var server = await LiveServer.StartAsync();
        var client = await server.LoginAsync();
        var created = await client.PostAsync("/api/resource/ToDo", LiveServer.Json(new JsonObject { ["description"] = "before" }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);

        var on = await BenchCli.RunAsync(server.Bench.Root, "--site", server.Site.Name, "set-maintenance-mode", "on");
        Assert.True(on.ExitCode == 0, on.Output);
        await SettleAsync();
        var stopped = await client.GetAsync("/api/resource/ToDo");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stopped.StatusCode);
        var body = await LiveServer.BodyAsync(stopped);
        Assert.Equal("SessionStopped", (string?)body["exc_type"]);

        ConfigFile.Update(Path.Combine(server.Site.Path, Bench.SiteConfigFile), c => c["allow_reads_during_maintenance"] = 1);
        await SettleAsync();
        var read = await client.GetAsync("/api/resource/ToDo?fields=[\"description\"]");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("before", (string?)(await LiveServer.BodyAsync(read))["data"]![0]!["description"]);
        // A read sent as POST is still a read.
        var postedRead = await client.PostAsync("/api/method/frappe.client.get_count", LiveServer.Json(new JsonObject { ["doctype"] = "ToDo" }));
        Assert.Equal(HttpStatusCode.OK, postedRead.StatusCode);

        var write = await client.PostAsync("/api/resource/ToDo", LiveServer.Json(new JsonObject { ["description"] = "during" }));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        var refused = await LiveServer.BodyAsync(write);
        Assert.Equal("InReadOnlyMode", (string?)refused["exc_type"]);
        var message = Assert.Single(LiveServer.ServerMessages(refused));
        Assert.Equal("In Read Only Mode", (string?)message["title"]);
        Assert.StartsWith("Site is running in read only mode", (string?)message["message"]);
        Assert.Equal(1, await server.CountAsync("tabToDo"));

        var off = await BenchCli.RunAsync(server.Bench.Root, "--site", server.Site.Name, "set-maintenance-mode", "off");
        Assert.True(off.ExitCode == 0, off.Output);
        await SettleAsync();
        var after = await client.PostAsync("/api/resource/ToDo", LiveServer.Json(new JsonObject { ["description"] = "after" }));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(2, await server.CountAsync("tabToDo"));
    }

    [Fact]
    public async Task MigrateLeavesMaintenanceModeEvenWhenItFails()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.MariaDb);
        var configPath = Path.Combine(site.Path, Bench.SiteConfigFile);

        var ok = await BenchCli.RunAsync(b.Root, "--site", site.Name, "migrate");
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.False(b.Bench.SiteConfig(site.Name).GetBool("maintenance_mode"));

        var password = b.Bench.SiteConfig(site.Name).GetString("db_password");
        ConfigFile.Update(configPath, c => c["db_password"] = "wrong-password");
        var failed = await BenchCli.RunAsync(b.Root, "--site", site.Name, "migrate");
        Assert.NotEqual(0, failed.ExitCode);
        Assert.False(b.Bench.SiteConfig(site.Name).GetBool("maintenance_mode"));
        ConfigFile.Update(configPath, c => c["db_password"] = password);

        // A site the operator put in maintenance stays in it.
        await BenchCli.RunAsync(b.Root, "--site", site.Name, "set-maintenance-mode", "on");
        var again = await BenchCli.RunAsync(b.Root, "--site", site.Name, "migrate");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.True(b.Bench.SiteConfig(site.Name).GetBool("maintenance_mode"));
    }

    [Fact]
    public async Task SetMaintenanceModeRefusesOtherStates()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        var r = await BenchCli.RunAsync(b.Root, "--site", site.Name, "set-maintenance-mode", "maybe");
        Assert.NotEqual(0, r.ExitCode);
        Assert.False(b.Bench.SiteConfig(site.Name).GetBool("maintenance_mode"));
    }
}
