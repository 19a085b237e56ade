using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Jobs;
using SharpBench.Model;
using SharpBench.Tests.Support;
using StackExchange.Redis;

namespace SharpBench.Tests.Jobs;

/// <summary>
/// A queue Redis at its memory limit (<c>maxmemory</c> with <c>noeviction</c>, as a small
/// container may have): an enqueue fails with Redis's own error, and neither a half-stored job
/// nor the work that enqueued it is kept.
/// </summary>
public sealed class FullRedisTests
{
    /// <summary>
    /// Puts the Redis over its limit, not at it: Redis admits a small write while its usage hovers
    /// at the limit, so the limit is set below what it holds (as when data grew past a container's
    /// maxmemory), and every write that needs memory is refused. The filler goes in pieces of 8 KB:
    /// one 1 MB command would leave a 1 MB query buffer that Redis frees a moment later, bringing
    /// it back under the limit.
    /// </summary>
    private static async Task<ConnectionMultiplexer> FillAsync(OwnRedis redis)
    {
        var mux = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},allowAdmin=true");
        var db = mux.GetDatabase();
        for (var i = 0; i < 128; i++)
            await db.StringSetAsync("filler:" + i, new string('x', 8 * 1024));
        var used = ((string)(await db.ExecuteAsync("INFO", "memory"))!).Split('\n')
            .Single(l => l.StartsWith("used_memory:", StringComparison.Ordinal))["used_memory:".Length..].Trim();
        await db.ExecuteAsync("CONFIG", "SET", "maxmemory", long.Parse(used, System.Globalization.CultureInfo.InvariantCulture) - 512 * 1024);
        await Assert.ThrowsAsync<RedisServerException>(() => db.HashSetAsync("probe", "a", "b"));
        return mux;
    }

    [Fact]
    public async Task A_get_request_whose_enqueue_redis_refuses_fails_instead_of_answering_ok()
    {
        await using var redis = new OwnRedis("--maxmemory-policy", "noeviction");
        await redis.StartAsync();
        await using var bench = new JobBench(redis.Url);
        var site = await bench.CreateSiteAsync();
        await using var web = await WebHost.StartAsync(bench.Bench);
        using var admin = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = web.Address };
        admin.DefaultRequestHeaders.Add("X-Frappe-Site-Name", site.Name);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/method/login", LiveServer.Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "admin" }))).StatusCode);
        // With room, the GET enqueues and answers with the job's id.
        var ok = await admin.GetAsync("/api/method/sb_test_app.jobs.enqueue_now_from_web");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.NotNull(await bench.Backend.GetAsync((string)(await LiveServer.BodyAsync(ok))["message"]!));

        using var mux = await FillAsync(redis);
        var refused = await admin.GetAsync("/api/method/sb_test_app.jobs.enqueue_now_from_web");

        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Null((await LiveServer.BodyAsync(refused))["message"]);
        Assert.Single(await bench.Backend.ListAsync(site.Name));
    }

    [Fact]
    public async Task An_enqueue_into_a_full_redis_fails_and_nothing_is_half_stored()
    {
        await using var redis = new OwnRedis("--maxmemory-policy", "noeviction");
        await redis.StartAsync();
        await using var bench = new JobBench(redis.Url);
        var site = await bench.CreateSiteAsync();
        // One job while there is room, so the queue's stream and the site's index exist.
        await using (var first = bench.Context(site))
        {
            await BackgroundJobs.EnqueueAsync(first, "sb_test_app.jobs.noop", new { });
            await first.CommitAsync();
        }
        using var mux = await FillAsync(redis);
        var db = mux.GetDatabase();
        var keysBefore = (long)await db.ExecuteAsync("DBSIZE");

        await using var ctx = bench.Context(site);
        // A deduplicated enqueue waits for its reply: the error comes from the call itself.
        var refused = await Assert.ThrowsAsync<RedisServerException>(() =>
            BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", new { }, new EnqueueOptions { JobId = "while-full", Deduplicate = true }));
        Assert.StartsWith("OOM", refused.Message, StringComparison.Ordinal);

        // A plain enqueue does not wait; its error fails the commit, and the document written
        // in the same unit of work is rolled back with it.
        var doc = await Documents.NewAsync(ctx, "ToDo", new JsonObject { ["description"] = "enqueued into a full redis" });
        await Documents.InsertAsync(ctx, doc);
        await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", new { });
        var failedCommit = await Assert.ThrowsAsync<RedisServerException>(() => ctx.CommitAsync());
        Assert.StartsWith("OOM", failedCommit.Message, StringComparison.Ordinal);

        Assert.Equal(keysBefore, (long)await db.ExecuteAsync("DBSIZE"));
        Assert.Single(await bench.Backend.ListAsync(site.Name));
        Assert.Null(await bench.Backend.GetAsync($"{site.Name}::while-full"));
        await using var sql = await site.OpenDatabaseAsync();
        Assert.Equal(0L, Convert.ToInt64(await sql.ScalarAsync($"SELECT COUNT(*) FROM {sql.Dialect.Quote("tabToDo")}", []), System.Globalization.CultureInfo.InvariantCulture));
    }
}
