using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Jobs;

/// <summary><c>bench start</c> without redis_queue: a web request enqueues, the in-process worker runs it.</summary>
public sealed class StartRoleTests
{
    [Fact]
    public async Task Bench_start_runs_enqueued_jobs_in_process_without_redis()
    {
        await using var bench = new JobBench(redisUrl: "");
        var site = await bench.CreateSiteAsync();
        bench.Bench.Use(site.Name);
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var server = bench.StartBench("start", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await JobBench.WaitUntilAsync(async () =>
        {
            try
            {
                return (await client.GetAsync("/api/method/ping")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "bench start listening\n" + bench.OutputText);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/method/login", LiveServer.Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "admin" }))).StatusCode);

        var file = bench.TempFile("web.txt");
        var response = await client.PostAsync("/api/method/sb_test_app.jobs.enqueue_from_web", LiveServer.Json(new JsonObject { ["file"] = file, ["tag"] = "from-web" }));
        var jobId = (string?)(await LiveServer.BodyAsync(response))["message"];
        Assert.StartsWith(site.Name + "::", jobId);

        JsonNode? job = null;
        await JobBench.WaitUntilAsync(async () =>
        {
            var body = await LiveServer.BodyAsync(await client.GetAsync("/api/resource/RQ Job/" + Uri.EscapeDataString(jobId!)));
            job = body["data"];
            return (string?)job?["status"] == "finished";
        }, TimeSpan.FromSeconds(30), "in-process job finished\n" + bench.OutputText);
        Assert.Equal(["from-web Administrator"], await File.ReadAllLinesAsync(file));
        Assert.Equal("default", (string?)job!["queue"]);

        await WorkerProcessTests.SignalAsync(server, "TERM");
        Assert.Equal(0, await WorkerProcessTests.WaitExitAsync(server, TimeSpan.FromSeconds(30)));
    }
}
