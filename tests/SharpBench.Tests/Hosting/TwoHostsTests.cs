using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SharpBench.Data;
using SharpBench.Hosting;
using SharpBench.Http;
using SharpBench.Jobs;
using SharpBench.Sites;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Hosting;

/// <summary>
/// Two <c>bench start</c> hosts of two benches in one process, each with a site of the same name
/// and no Redis: each serves its own site, and its requests enqueue to its own in-process queue,
/// whose jobs its own workers run.
/// </summary>
public sealed class TwoHostsTests
{
    private const string SiteName = "two.localhost";

    private sealed class StartHost(WebApplication app, HttpClient client) : IAsyncDisposable
    {
        public HttpClient Client => client;

        public JobBackends Backends => app.Services.GetRequiredService<JobBackends>();

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
}
