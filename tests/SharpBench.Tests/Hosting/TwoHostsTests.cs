using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SharpBench.Apps;
using SharpBench.Data;
using SharpBench.Hosting;
using SharpBench.Http;
using SharpBench.Install;
using SharpBench.Jobs;
using SharpBench.Model;
using SharpBench.Sites;
using SharpBench.Tests.App;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Hosting;

/// <summary>
/// Two <c>bench start</c> hosts of two benches in one process, each with a site of the same name
/// and no Redis: each serves its own site, and its requests enqueue to its own in-process queue,
/// whose jobs its own workers run. Each knows only its own bench's apps and what was registered
/// on it: methods, doc_events hooks.
/// </summary>
public sealed class TwoHostsTests
{
    private const string SiteName = "two.localhost";

    private sealed class StartHost(WebApplication app, HttpClient client) : IAsyncDisposable
    {
        public HttpClient Client => client;

        public JobBackends Backends => app.Services.GetRequiredService<JobBackends>();

        public IServiceProvider Services => app.Services;

        public static async Task<StartHost> StartAsync(JobBench bench)
        {
            var app = WebServer.Build(bench.Bench, "127.0.0.1", 0, b => b.AddSharpBenchStart(bench.Bench));
            app.MapSharpBenchSocketio();
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(address) };
            client.DefaultRequestHeaders.Add("X-Frappe-Site-Name", SiteName);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/method/login", LiveServer.Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "admin" }))).StatusCode);
            return new StartHost(app, client);
        }

        public async Task<string> EnqueueAsync(string file, string tag)
        {
            var response = await client.PostAsync("/api/method/sb_test_app.jobs.enqueue_from_web", LiveServer.Json(new JsonObject { ["file"] = file, ["tag"] = tag }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (string)(await LiveServer.BodyAsync(response))["message"]!;
        }

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<Site> SiteAsync(JobBench bench)
    {
        await new SiteCreator(bench.Bench, _ => { }).CreateAsync(new NewSiteOptions(SiteName, "admin") { DbType = DbKind.Sqlite });
        return bench.Sites.Find(SiteName)!;
    }

    [Fact]
    public async Task Two_start_hosts_of_two_benches_serve_and_run_jobs_for_their_own_sites_side_by_side()
    {
        await using var benchA = new JobBench(redisUrl: "");
        await using var benchB = new JobBench(redisUrl: "");
        var siteA = await SiteAsync(benchA);
        var siteB = await SiteAsync(benchB);
        await using var a = await StartHost.StartAsync(benchA);
        await using var b = await StartHost.StartAsync(benchB);
        Assert.NotSame(a.Backends, b.Backends);

        var fileA = benchA.TempFile("log.txt");
        var fileB = benchB.TempFile("log.txt");
        var jobA = await a.EnqueueAsync(fileA, "from-a");
        var jobB = await b.EnqueueAsync(fileB, "from-b");

        await JobBench.WaitUntilAsync(async () => (await a.Backends.Embedded!.GetAsync(jobA))?.Status == JobStatus.Finished
            && (await b.Backends.Embedded!.GetAsync(jobB))?.Status == JobStatus.Finished, TimeSpan.FromSeconds(30), "both jobs ran");
        // Each queue holds only its own host's job, so each host's workers ran only their own.
        Assert.Null(await a.Backends.Embedded!.GetAsync(jobB));
        Assert.Null(await b.Backends.Embedded!.GetAsync(jobA));
        Assert.Equal(["from-a Administrator"], await File.ReadAllLinesAsync(fileA));
        Assert.Equal(["from-b Administrator"], await File.ReadAllLinesAsync(fileB));

        // The RQ Job list of each host's site shows its own job only.
        var listA = await LiveServer.BodyAsync(await a.Client.GetAsync("/api/resource/RQ Job?fields=[\"name\"]"));
        var listB = await LiveServer.BodyAsync(await b.Client.GetAsync("/api/resource/RQ Job?fields=[\"name\"]"));
        Assert.Equal([jobA.Split("::")[^1]], ((JsonArray)listA["data"]!).Select(r => ((string)r!["name"]!).Split("::")[^1]));
        Assert.Equal([jobB.Split("::")[^1]], ((JsonArray)listB["data"]!).Select(r => ((string)r!["name"]!).Split("::")[^1]));
        Assert.NotEqual(siteA.Path, siteB.Path);
    }

    [Fact]
    public async Task Two_hosts_with_different_apps_in_one_process_see_only_their_own_methods_and_hooks()
    {
        await using var benchA = new JobBench(redisUrl: "");
        await using var benchB = new JobBench(redisUrl: "");
        // Bench B has only the core app, though sb_test_app's assembly is loaded in this process.
        await File.WriteAllTextAsync(Path.Combine(benchB.Bench.SitesPath, "apps.txt"), "frappe\n");
        await SiteAsync(benchA);
        await SiteAsync(benchB);
        await using var a = await StartHost.StartAsync(benchA);
        await using var b = await StartHost.StartAsync(benchB);

        // An app's whitelisted method: only the host whose bench installs the app answers it.
        var fileA = benchA.TempFile("log.txt");
        Assert.Contains("::", await a.EnqueueAsync(fileA, "from-a"));
        await AssertUnknownAsync(b, "sb_test_app.jobs.enqueue_from_web");

        // A method registered on one host's registry at run time: the other host has no such method.
        a.Services.GetRequiredService<MethodRegistry>().Register("two_hosts.only_on_a",
            (ctx, _, _) => Task.FromResult<object?>("a:" + ctx.Site.Name), new WhitelistAttribute("two_hosts.only_on_a"));
        var onA = await a.Client.GetAsync("/api/method/two_hosts.only_on_a");
        Assert.Equal(HttpStatusCode.OK, onA.StatusCode);
        Assert.Equal("a:" + SiteName, (string?)(await LiveServer.BodyAsync(onA))["message"]);
        await AssertUnknownAsync(b, "two_hosts.only_on_a");

        // A doc_events hook registered on host A runs for A's saves only.
        var hooked = new List<string>();
        a.Services.GetRequiredService<DocEventRegistry>().On("ToDo", DocEvents.AfterInsert, (ctx, doc, _, _) =>
        {
            lock (hooked)
                hooked.Add(ctx.Site.Host == a.Services.GetRequiredService<HostState>() ? "a" : "other");
            return Task.CompletedTask;
        });
        foreach (var host in new[] { a, b })
        {
            var saved = await host.Client.PostAsync("/api/resource/ToDo", LiveServer.Json(new JsonObject { ["description"] = "two hosts" }));
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }
        Assert.Equal(["a"], hooked);
        Assert.Equal(["frappe", TestApp.AppName], a.Services.GetRequiredService<AppRegistry>().All.Select(x => x.Name));
        Assert.Equal(["frappe"], b.Services.GetRequiredService<AppRegistry>().All.Select(x => x.Name));
    }

    private static async Task AssertUnknownAsync(StartHost host, string method)
    {
        var response = await host.Client.PostAsync("/api/method/" + method, LiveServer.Json(new JsonObject()));
        var body = await LiveServer.BodyAsync(response);
        Assert.Equal((HttpStatusCode)417, response.StatusCode);
        Assert.Equal("ValidationError", (string?)body["exc_type"]);
        Assert.StartsWith($"Failed to get method for command {method} with", (string?)LiveServer.ServerMessages(body)[0]["message"]);
    }
}
