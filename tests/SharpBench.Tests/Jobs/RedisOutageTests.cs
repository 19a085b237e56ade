using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Jobs;
using SharpBench.Sites;
using SharpBench.Tests.App;
using SharpBench.Tests.Support;
using StackExchange.Redis;

namespace SharpBench.Tests.Jobs;

/// <summary>
/// A queue Redis that is down, hung or loading its data: a request that enqueues fails within
/// <c>redis_queue_timeout</c> (default 1 s) with a 503 in Frappe's envelope, its database writes
/// are rolled back, and a retry carrying a <c>job_id</c> with <c>deduplicate</c> queues the job once.
/// </summary>
public sealed class RedisOutageTests
{
    // The bound is 1 s; the rest is slack for a busy two-core test machine.
    private static readonly TimeSpan Answered = TimeSpan.FromSeconds(3);

    private static async Task<(HttpClient Admin, Site Site)> LoginAsync(JobBench bench, WebHost web, DbKind kind)
    {
        var site = await bench.CreateSiteAsync(kind);
        await JobBench.MarkersAsync(site);
        var admin = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = web.Address };
        admin.DefaultRequestHeaders.Add("X-Frappe-Site-Name", site.Name);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/method/login", LiveServer.Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "admin" }))).StatusCode);
        return (admin, site);
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Took)> InsertAndEnqueueAsync(HttpClient admin, string key, string? jobId = null)
    {
        var body = new JsonObject { ["key"] = key };
        if (jobId is not null)
            body["job_id"] = jobId;
        var sw = Stopwatch.StartNew();
        var response = await admin.PostAsync("/api/method/sb_test_app.jobs.insert_and_enqueue", LiveServer.Json(body));
        return (response, sw.Elapsed);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response, TimeSpan took, string expectedText)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(took < Answered, $"answered after {took.TotalSeconds:0.0} s");
        var body = await LiveServer.BodyAsync(response);
        Assert.Equal("ConnectionError", (string?)body["exc_type"]);
        Assert.Contains(expectedText, (string?)body["exception"], StringComparison.Ordinal);
        Assert.Null(body["message"]);
    }

    [Theory]
    [InlineData(DbKind.MariaDb)]
    [InlineData(DbKind.Postgres)]
    public async Task While_redis_is_down_an_enqueue_fails_fast_with_503_and_the_request_writes_nothing(DbKind kind)
    {
        await using var redis = new OwnRedis();
        await redis.StartAsync();
        await using var bench = new JobBench(redis.Url);
        await using var web = await WebHost.StartAsync(bench.Bench);
        var (admin, site) = await LoginAsync(bench, web, kind);
        using var _ = admin;
        Assert.Equal(HttpStatusCode.OK, (await InsertAndEnqueueAsync(admin, "before")).Response.StatusCode);

        await redis.StopAsync();
        // A plain enqueue (checked before commit) and a deduplicated one (checked at once).
        var (plain, plainTook) = await InsertAndEnqueueAsync(admin, "down-plain");
        await AssertUnavailableAsync(plain, plainTook, "Nothing was queued");
        var (dedup, dedupTook) = await InsertAndEnqueueAsync(admin, "down-dedup", "while-down");
        await AssertUnavailableAsync(dedup, dedupTook, "Nothing was queued");
        Assert.Equal(["before"], await JobBench.MarkersAsync(site));

        await redis.StartAsync();
        await JobBench.WaitUntilAsync(async () => (await InsertAndEnqueueAsync(admin, "after-" + Guid.NewGuid().ToString("N")[..6])).Response.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "enqueues work again once redis is back");
        // Nothing from the failed requests reached Redis later (no backlog replayed on reconnect).
        Assert.Null(await bench.Backend.GetAsync($"{site.Name}::while-down"));
    }

    [Theory]
    [InlineData(DbKind.MariaDb)]
    [InlineData(DbKind.Postgres)]
    public async Task A_hung_redis_fails_the_enqueue_within_the_bound_and_a_retry_with_its_job_id_queues_the_job_once(DbKind kind)
    {
        await using var redis = new OwnRedis();
        await redis.StartAsync();
        await using var bench = new JobBench(redis.Url);
        await using var web = await WebHost.StartAsync(bench.Bench);
        var (admin, site) = await LoginAsync(bench, web, kind);
        using var _ = admin;
        Assert.Equal(HttpStatusCode.OK, (await InsertAndEnqueueAsync(admin, "before")).Response.StatusCode);

        Signals.Send(redis.Pid, Signals.SigStop);
        HttpResponseMessage hung;
        TimeSpan took;
        try
        {
            (hung, took) = await InsertAndEnqueueAsync(admin, "first-try", "order-42");
        }
        finally
        {
            Signals.Send(redis.Pid, Signals.SigCont);
        }
        // The command was sent, so the job may exist: the message says so.
        await AssertUnavailableAsync(hung, took, "may still have been queued");
        Assert.Equal(["before"], await JobBench.MarkersAsync(site));

        var (retry, _) = await InsertAndEnqueueAsync(admin, "second-try", "order-42");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(["before", "second-try"], await JobBench.MarkersAsync(site));
        using var mux = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}");
        var entries = await mux.GetDatabase().StreamRangeAsync($"sb:{bench.BenchId}:queue:default");
        Assert.Single(entries, e => (string?)e["id"] == $"{site.Name}::order-42");
    }

    [Fact]
    public async Task An_enqueue_waits_for_a_loading_redis_within_the_bound_and_fails_past_it()
    {
        // Redis answers LOADING while it reads its dump: about 2 s here (10,000 keys, 200 µs each).
        await using var redis = new OwnRedis("--key-load-delay", "200", "--loading-process-events-interval-bytes", "1024");
        await redis.StartAsync();
        await using (var fill = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},allowAdmin=true"))
        {
            await fill.GetDatabase().ScriptEvaluateAsync("for i = 1, 10000 do redis.call('SET', 'filler:' .. i, 'x') end", []);
            await fill.GetDatabase().ExecuteAsync("SAVE");
        }
        await using var bench = new JobBench(redis.Url);
        var site = await bench.CreateSiteAsync();
        await using (var warm = bench.Context(site))
            await BackgroundJobs.EnqueueAsync(warm, "sb_test_app.jobs.noop", new { }, new EnqueueOptions { JobId = "warm", Deduplicate = true });

        async Task<(Exception? Error, TimeSpan Took)> EnqueueWhileLoadingAsync(double bound, string jobId)
        {
            await redis.StopAsync();
            bench.Bench.UpdateCommonConfig(c => c["redis_queue_timeout"] = bound);
            // The site registry sees a config change within its recheck interval.
            await Task.Delay(SiteRegistry.RecheckInterval + TimeSpan.FromMilliseconds(200));
            await redis.StartAsync();
            await using var ctx = bench.Context(bench.Sites.Find(site.Name)!);
            var sw = Stopwatch.StartNew();
            try
            {
                await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", new { }, new EnqueueOptions { JobId = jobId, Deduplicate = true });
                return (null, sw.Elapsed);
            }
            catch (Exception e)
            {
                return (e, sw.Elapsed);
            }
        }

        var (waited, waitedFor) = await EnqueueWhileLoadingAsync(30, "after-loading");
        Assert.True(waited is null, $"the enqueue with a 30 s bound failed after {waitedFor.TotalSeconds:0.00} s: {waited}");
        Assert.True(waitedFor > TimeSpan.FromSeconds(0.5), $"took {waitedFor.TotalSeconds:0.00} s: redis was not loading");
        Assert.Equal(JobStatus.Queued, (await bench.Backend.GetAsync($"{site.Name}::after-loading"))?.Status);

        var (refused, refusedAfter) = await EnqueueWhileLoadingAsync(0.5, "past-bound");
        var error = Assert.IsType<QueueUnavailableError>(refused);
        Assert.Equal(503, error.StatusCode);
        Assert.True(refusedAfter < TimeSpan.FromSeconds(2), $"failed after {refusedAfter.TotalSeconds:0.0} s");
        // Redis refuses the client's handshake while loading, so the reason may read "unreachable" or
        // "LOADING" and nothing was sent. On a slow machine the command can instead be caught behind a
        // reconnect's handshake when the bound runs out: then the client cannot know, and the message
        // must say so rather than promise nothing was queued.
        Assert.True(error.Message.Contains("Nothing was queued", StringComparison.Ordinal) || error.Message.Contains("may still have been queued", StringComparison.Ordinal), error.Message);
    }
}
