using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SharpBench.Hosting;
using SharpBench.Http;
using SharpBench.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Jobs;

/// <summary>RQ Job and RQ Worker through /api/resource and their methods on a live server, for System Managers only, per site.</summary>
public sealed class RqJobApiTests
{

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string site, string path, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        request.Headers.Add("X-Frappe-Site-Name", site);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task System_manager_lists_filters_gets_stops_and_deletes_jobs_of_the_site_only()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        var other = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);
        var failed = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.fail", new { why = "api" }, new EnqueueOptions { Queue = "short" });
        var worker = bench.InProcessWorker(new WorkerOptions { Queues = ["short"], Burst = true });
        await worker.RunAsync(CancellationToken.None);
        var queued = await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, new EnqueueOptions { Queue = "long", JobId = "later" });
        await using var otherCtx = bench.Context(other);
        var foreign = await BackgroundJobs.EnqueueAsync(otherCtx, "sb_test_app.jobs.noop");

        await using var app = WebServer.Build(bench.Bench, "127.0.0.1", 0);
        await app.StartAsync();
        var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var guest = new HttpClient { BaseAddress = baseUri };
        using var admin = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = baseUri };
        var login = await SendAsync(admin, HttpMethod.Post, site.Name, "/api/method/login", LiveServer.Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "admin" }));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        // Guests see nothing and change nothing.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(guest, HttpMethod.Get, site.Name, "/api/resource/RQ Job")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(guest, HttpMethod.Delete, site.Name, "/api/resource/RQ Job/" + Uri.EscapeDataString(failed.JobId!))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(guest, HttpMethod.Post, site.Name, "/api/method/" + JobsSetup.StopJobMethod, LiveServer.Json(new JsonObject { ["job_id"] = queued.JobId }))).StatusCode);

        var list = await LiveServer.BodyAsync(await SendAsync(admin, HttpMethod.Get, site.Name, "/api/resource/RQ Job"));
        Assert.Equal([queued.JobId, failed.JobId], list["data"]!.AsArray().Select(d => (string?)d!["name"]));
        var onlyFailed = await LiveServer.BodyAsync(await SendAsync(admin, HttpMethod.Get, site.Name, "/api/resource/RQ Job?filters=" + Uri.EscapeDataString("""[["status","=","failed"]]""")));
        var failedDoc = Assert.Single(onlyFailed["data"]!.AsArray())!;
        Assert.Equal("short", (string?)failedDoc["queue"]);
        Assert.Contains("boom: api", (string?)failedDoc["exc_info"]);
        Assert.Equal("""{"why":"api"}""", (string?)failedDoc["arguments"]);
        var onlyLong = await LiveServer.BodyAsync(await SendAsync(admin, HttpMethod.Get, site.Name, "/api/resource/RQ Job?filters=" + Uri.EscapeDataString("""{"queue":"long"}""")));
        Assert.Equal([queued.JobId], onlyLong["data"]!.AsArray().Select(d => (string?)d!["name"]));
        var badFilter = await SendAsync(admin, HttpMethod.Get, site.Name, "/api/resource/RQ Job?filters=" + Uri.EscapeDataString("""{"kwargs":"x"}"""));
        Assert.Equal((HttpStatusCode)417, badFilter.StatusCode);

        // Another site's job is not there for this site, and cannot be deleted from it.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(admin, HttpMethod.Get, site.Name, "/api/resource/RQ Job/" + Uri.EscapeDataString(foreign.JobId!))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(admin, HttpMethod.Delete, site.Name, "/api/resource/RQ Job/" + Uri.EscapeDataString(foreign.JobId!))).StatusCode);
        Assert.Equal(JobStatus.Queued, (await bench.Backend.GetAsync(foreign.JobId!))!.Status);

        var one = await LiveServer.BodyAsync(await SendAsync(admin, HttpMethod.Get, site.Name, "/api/resource/RQ Job/" + Uri.EscapeDataString(queued.JobId!)));
        Assert.Equal("queued", (string?)one["data"]!["status"]);

        var stop = await SendAsync(admin, HttpMethod.Post, site.Name, "/api/method/" + JobsSetup.StopJobMethod, LiveServer.Json(new JsonObject { ["job_id"] = queued.JobId }));
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal(JobStatus.Canceled, (await bench.Backend.GetAsync(queued.JobId!))!.Status);
        var stopAgain = await SendAsync(admin, HttpMethod.Post, site.Name, "/api/method/" + JobsSetup.StopJobMethod, LiveServer.Json(new JsonObject { ["job_id"] = queued.JobId }));
        Assert.Equal((HttpStatusCode)417, stopAgain.StatusCode);
        Assert.Contains("Job is not running.", await stopAgain.Content.ReadAsStringAsync());

        var delete = await SendAsync(admin, HttpMethod.Delete, site.Name, "/api/resource/RQ Job/" + Uri.EscapeDataString(failed.JobId!));
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.Null(await bench.Backend.GetAsync(failed.JobId!));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(admin, HttpMethod.Get, site.Name, "/api/resource/RQ Job/" + Uri.EscapeDataString(failed.JobId!))).StatusCode);

        // RQ Worker lists this bench's live workers.
        using var stopWorker = new CancellationTokenSource();
        var live = bench.InProcessWorker(new WorkerOptions { Queues = ["default"], Name = "api-test-worker" });
        var running = live.RunAsync(stopWorker.Token);
        await JobBench.WaitUntilAsync(async () => (await bench.Backend.WorkersAsync()).Count == 1, TimeSpan.FromSeconds(10), "worker heartbeat");
        var workers = await LiveServer.BodyAsync(await SendAsync(admin, HttpMethod.Get, site.Name, "/api/resource/RQ Worker"));
        var w = Assert.Single(workers["data"]!.AsArray())!;
        Assert.Equal("api-test-worker", (string?)w["worker_name"]);
        Assert.Equal("default", (string?)w["queue"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(guest, HttpMethod.Get, site.Name, "/api/resource/RQ Worker")).StatusCode);
        await stopWorker.CancelAsync();
        await running;
        await app.StopAsync();
    }

    /// <summary>The desk's "retry" on a failed RQ Job, and what it refuses.</summary>
    [Fact]
    public async Task A_failed_job_runs_again_as_its_own_user_with_its_arguments_and_the_old_record_goes()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        // The job fails because its folder is missing; once the folder exists, the same job succeeds.
        var folder = bench.TempFile("later");
        var file = Path.Combine(folder, "log.txt");
        await using (var ctx = bench.Context(site, "Guest"))
        {
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag = "retried" }, new EnqueueOptions { Queue = "short", JobName = "write the log" });
        }
        await bench.InProcessWorker(new WorkerOptions { Queues = ["short"], Burst = true }).RunAsync(CancellationToken.None);
        var failed = Assert.Single(await bench.Backend.ListAsync(site.Name));
        Assert.Equal(JobStatus.Failed, failed.Status);
        await using var adminCtx = bench.Context(site);
        var queued = await BackgroundJobs.EnqueueAsync(adminCtx, "sb_test_app.jobs.noop", null, new EnqueueOptions { Queue = "long" });

        await using var app = WebServer.Build(bench.Bench, "127.0.0.1", 0);
        await app.StartAsync();
        var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var guest = new HttpClient { BaseAddress = baseUri };
        using var admin = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = baseUri };
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, site.Name, "/api/method/login", LiveServer.Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "admin" }))).StatusCode);
        var retryPath = "/api/method/" + JobsSetup.RetryJobMethod;

        // Refused, and nothing changes: a guest, a job that has not failed, an unknown id, no id.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(guest, HttpMethod.Post, site.Name, retryPath, LiveServer.Json(new JsonObject { ["job_id"] = failed.Id }))).StatusCode);
        var notFailed = await SendAsync(admin, HttpMethod.Post, site.Name, retryPath, LiveServer.Json(new JsonObject { ["job_id"] = queued.JobId }));
        Assert.Equal((HttpStatusCode)417, notFailed.StatusCode);
        Assert.Contains("Only a failed or canceled job can be retried; this one is queued.", await notFailed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(admin, HttpMethod.Post, site.Name, retryPath, LiveServer.Json(new JsonObject { ["job_id"] = site.Name + "::no-such-job" }))).StatusCode);
        Assert.Equal((HttpStatusCode)417, (await SendAsync(admin, HttpMethod.Post, site.Name, retryPath, LiveServer.Json(new JsonObject()))).StatusCode);
        Assert.Equal([queued.JobId, failed.Id], (await bench.Backend.ListAsync(site.Name)).Select(j => j.Id));
        Assert.Equal(JobStatus.Failed, (await bench.Backend.GetAsync(failed.Id))!.Status);

        Directory.CreateDirectory(folder);
        var retry = await SendAsync(admin, HttpMethod.Post, site.Name, retryPath, LiveServer.Json(new JsonObject { ["job_id"] = failed.Id }));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var newId = (string)(await LiveServer.BodyAsync(retry))["message"]!;
        Assert.NotEqual(failed.Id, newId);
        Assert.Null(await bench.Backend.GetAsync(failed.Id));
        var again = (await bench.Backend.GetAsync(newId))!;
        Assert.Equal((JobStatus.Queued, "short", "write the log", "Guest", failed.Timeout), (again.Status, again.Queue, again.JobName, again.User, again.Timeout));
        Assert.Equal(failed.Kwargs.ToJsonString(), again.Kwargs.ToJsonString());

        await bench.InProcessWorker(new WorkerOptions { Queues = ["short"], Burst = true }).RunAsync(CancellationToken.None);
        Assert.Equal(JobStatus.Finished, (await bench.Backend.GetAsync(newId))!.Status);
        Assert.Equal("retried Guest\n", await File.ReadAllTextAsync(file));
        await app.StopAsync();
    }
}
