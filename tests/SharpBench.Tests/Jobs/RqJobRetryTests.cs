using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SharpBench.Http;
using SharpBench.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Jobs;

/// <summary>The desk's "retry" on a failed RQ Job, through the API, and what it refuses.</summary>
public sealed class RqJobRetryTests
{
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string site, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = LiveServer.Json(body) };
        request.Headers.Add("X-Frappe-Site-Name", site);
        return await client.SendAsync(request);
    }

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
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, site.Name, "/api/method/login", new JsonObject { ["usr"] = "Administrator", ["pwd"] = "admin" })).StatusCode);
        var retryPath = "/api/method/" + JobsSetup.RetryJobMethod;

        // Refused, and nothing changes: a guest, a job that has not failed, an unknown id, no id.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(guest, site.Name, retryPath, new JsonObject { ["job_id"] = failed.Id })).StatusCode);
        var notFailed = await PostAsync(admin, site.Name, retryPath, new JsonObject { ["job_id"] = queued.JobId });
        Assert.Equal((HttpStatusCode)417, notFailed.StatusCode);
        Assert.Contains("Only a failed or canceled job can be retried; this one is queued.", await notFailed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(admin, site.Name, retryPath, new JsonObject { ["job_id"] = site.Name + "::no-such-job" })).StatusCode);
        Assert.Equal((HttpStatusCode)417, (await PostAsync(admin, site.Name, retryPath, new JsonObject())).StatusCode);
        Assert.Equal([queued.JobId, failed.Id], (await bench.Backend.ListAsync(site.Name)).Select(j => j.Id));
        Assert.Equal(JobStatus.Failed, (await bench.Backend.GetAsync(failed.Id))!.Status);

        Directory.CreateDirectory(folder);
        var retry = await PostAsync(admin, site.Name, retryPath, new JsonObject { ["job_id"] = failed.Id });
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
