using System.Text.Json.Nodes;
using SharpBench.Jobs;
using SharpBench.Realtime;
using SharpBench.Realtime.Publishing;
using SharpBench.Sites;
using SharpBench.Tests.Support;
using StackExchange.Redis;

namespace SharpBench.Tests.Jobs;

/// <summary>
/// Logging in to <c>redis_queue</c> as Frappe does, against a redis-server of the test's own whose
/// <c>default</c> user is off (or has a password), so a job that runs proves the login was used:
/// <c>use_rq_auth</c> with <c>rq_username</c>/<c>rq_password</c>, <c>bench worker -u/-p</c>, a wrong
/// password, and <c>RQ_ADMIN_PASWORD</c>.
/// </summary>
public sealed class RedisQueueLoginTests
{
    private const string AdminPassword = "admin-secret";

    /// <summary>An ACL Redis: default off, an admin for the test's own checks, and two bench users.</summary>
    private static OwnRedis AclRedis() => new(
        "--user", "default", "off",
        "--user", "admin", "on", ">" + AdminPassword, "~*", "&*", "+@all",
        "--user", "sbapp", "on", ">app-secret", "~*", "&*", "+@all",
        "--user", "other", "on", ">other-secret", "~*", "&*", "+@all",
        "--user", "nochannels", "on", ">nc-secret", "~*", "resetchannels", "+@all");

    private static JsonObject RqAuth(string user, string password) =>
        new() { ["use_rq_auth"] = 1, ["rq_username"] = user, ["rq_password"] = password };

    private static async Task<List<string>> BenchKeysAsync(OwnRedis redis, string benchId, string user = "admin")
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},user={user},password={AdminPassword}");
        var keys = new List<string>();
        await foreach (var key in admin.GetServer(admin.GetEndPoints()[0]).KeysAsync(pattern: "sb:" + benchId + ":*"))
            keys.Add(key.ToString());
        return keys;
    }

    /// <summary>A new site of <paramref name="bench"/> with one queued log job; the file the job will write.</summary>
    internal static async Task<(Site Site, string File)> SiteWithLogJobAsync(JobBench bench, string tag)
    {
        var site = await bench.CreateSiteAsync();
        var file = bench.TempFile("log.txt");
        await using (var ctx = bench.Context(site))
            await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.log", new { file, tag });
        return (site, file);
    }

    /// <summary>An event published through the bench's realtime bridge (on redis_queue) comes back to its subscriber.</summary>
    internal static async Task AssertBridgeCarriesAsync(JobBench bench, string site)
    {
        var bridge = await RealtimeBridges.Outside.ForBenchAsync(bench.Bench);
        Assert.IsType<RedisBridge>(bridge);
        var heard = new TaskCompletionSource<RealtimeMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (await bridge.SubscribeAsync(m => heard.TrySetResult(m)))
        {
            await bridge.PublishAsync(new RealtimeMessage { Event = "acl_event", Message = new JsonObject { ["n"] = 1 }, Room = "all", Namespace = site });
            Assert.Equal("acl_event", (await heard.Task.WaitAsync(TimeSpan.FromSeconds(10))).Event);
        }
    }

    [Fact]
    public async Task With_use_rq_auth_enqueue_worker_doctor_and_realtime_log_in_as_rq_username()
    {
        await using var redis = AclRedis();
        await redis.StartAsync();
        await using var bench = new JobBench(redis.Url, RqAuth("sbapp", "app-secret"));
        var (site, file) = await SiteWithLogJobAsync(bench, "acl");
        Assert.NotEmpty(await BenchKeysAsync(redis, bench.BenchId));

        Assert.True(await bench.RunBenchAsync("worker", "--burst") == 0, bench.OutputText);

        Assert.Equal(["acl Administrator"], await File.ReadAllLinesAsync(file));
        Assert.Equal(0, await bench.RunBenchAsync("--site", site.Name, "doctor"));
        Assert.Contains("Workers (0) on bench " + bench.BenchId, bench.OutputText);

        // The realtime bridge shares the login: an event published through it comes back.
        await AssertBridgeCarriesAsync(bench, site.Name);
    }

    [Fact]
    public async Task Worker_rq_username_and_password_options_override_the_config()
    {
        await using var redis = AclRedis();
        await redis.StartAsync();
        await using var bench = new JobBench(redis.Url, RqAuth("sbapp", "app-secret"));
        var (_, file) = await SiteWithLogJobAsync(bench, "cli");
        // The configured login no longer works, so only the command line's can.
        bench.Bench.UpdateCommonConfig(c => c["rq_password"] = "stale");

        Assert.Equal(1, await bench.RunBenchAsync("worker", "--burst"));
        Assert.False(File.Exists(file));

        Assert.True(await bench.RunBenchAsync("worker", "--burst", "-u", "other", "-p", "other-secret") == 0, bench.OutputText);
        Assert.Equal(["cli Administrator"], await File.ReadAllLinesAsync(file));
    }

    [Fact]
    public async Task A_wrong_password_is_one_clear_error_exit_1_and_queues_nothing()
    {
        await using var redis = AclRedis();
        await redis.StartAsync();
        await using var bench = new JobBench(redis.Url, RqAuth("sbapp", "wrong-secret"));
        var site = await bench.CreateSiteAsync();

        var code = await bench.RunBenchAsync("worker", "--burst", "--rq-username", "sbapp", "--rq-password", "also-wrong");

        Assert.Equal(1, code);
        var lines = bench.OutputText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines is [var only] && only.StartsWith("Error: Cannot log in to redis_queue", StringComparison.Ordinal), bench.OutputText);
        Assert.Contains("as user 'sbapp'", bench.OutputText);
        Assert.Contains("WRONGPASS", bench.OutputText);
        Assert.DoesNotContain("also-wrong", bench.OutputText);

        // Enqueueing with the wrong rq_password fails the same way, in-process and from the CLI.
        await using (var ctx = bench.Context(site))
        {
            var e = await Assert.ThrowsAsync<BenchException>(() => BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", new { }));
            Assert.Contains("as user 'sbapp'", e.Message);
        }
        bench.Output.Clear();
        Assert.Equal(1, await bench.RunBenchAsync("--site", site.Name, "execute", "sb_test_app.jobs.enqueue_long", "--kwargs", """{"key": "k"}"""));
        Assert.StartsWith("Error: Cannot log in to redis_queue", bench.OutputText.Trim(), StringComparison.Ordinal);

        Assert.Empty(await BenchKeysAsync(redis, bench.BenchId));
    }

    [Fact]
    public async Task Without_use_rq_auth_RQ_ADMIN_PASWORD_logs_in_as_default()
    {
        await using var redis = new OwnRedis("--requirepass", AdminPassword);
        await redis.StartAsync();
        await using var bench = new JobBench(redis.Url);
        var site = await bench.CreateSiteAsync();

        // Without the variable the password-protected default user refuses the process.
        Assert.Equal(1, await bench.RunBenchAsync("--site", site.Name, "execute", "sb_test_app.jobs.enqueue_long", "--kwargs", """{"key": "k"}"""));
        Assert.Contains("as user 'default'", bench.OutputText);
        Assert.Empty(await BenchKeysAsync(redis, bench.BenchId, "default"));

        bench.ProcessEnvironment[RedisQueueLogin.AdminPasswordVariable] = AdminPassword;
        bench.Output.Clear();
        Assert.True(await bench.RunBenchAsync("--site", site.Name, "execute", "sb_test_app.jobs.enqueue_long", "--kwargs", """{"key": "via-env"}""") == 0, bench.OutputText);
        Assert.NotEmpty(await BenchKeysAsync(redis, bench.BenchId, "default"));
        Assert.True(await bench.RunBenchAsync("worker", "--burst") == 0, bench.OutputText);

        Assert.Equal(["via-env"], await JobBench.MarkersAsync(site));
    }

    [Fact]
    public async Task A_worker_whose_user_may_not_use_the_channels_stops_with_the_reason_instead_of_retrying()
    {
        await using var redis = AclRedis();
        await redis.StartAsync();
        await using var bench = new JobBench(redis.Url, RqAuth("nochannels", "nc-secret"));

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var code = await bench.RunBenchAsync("worker", "--burst").WaitAsync(limit.Token);

        Assert.Equal(1, code);
        var error = Assert.Single(bench.OutputText.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Contains("redis_queue refused this worker: NOPERM", error);
    }
}
