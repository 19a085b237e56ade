using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SharpBench.Jobs;
using SharpBench.Realtime;
using SharpBench.Realtime.Publishing;
using SharpBench.Sites;
using SharpBench.Tests.Support;
using StackExchange.Redis;

namespace SharpBench.Tests.Jobs;

/// <summary>
/// <c>bench create-rq-users</c> run as the real CLI, its ACL file loaded by a redis-server of the
/// test's own (<c>--aclfile</c>): the generated login carries jobs, workers and realtime, and
/// confines the bench user to its own bench.
/// </summary>
public sealed class CreateRqUsersTests
{
    /// <summary>A bench with no redis_queue yet: the server needs the file the command writes.</summary>
    private static async Task<JobBench> BenchWithAclAsync(params string[] options)
    {
        var bench = new JobBench(redisUrl: "");
        Assert.True(await bench.RunBenchAsync(["create-rq-users", .. options]) == 0, bench.OutputText);
        return bench;
    }

    private static async Task<OwnRedis> RedisWithAclAsync(JobBench bench)
    {
        var redis = new OwnRedis("--aclfile", RedisQueueAcl.PathFor(bench.Bench));
        await redis.StartAsync();
        bench.Bench.UpdateCommonConfig(c => c["redis_queue"] = redis.Url);
        return redis;
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(OwnRedis redis, string user, string? password) =>
        // allowAdmin so that the server, not the client library, is what refuses admin commands.
        ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},user={user},password={password},allowAdmin=true,abortConnect=true");

    private static (string User, string Password) BenchLogin(JobBench bench)
    {
        var config = bench.Bench.ReadCommonConfig();
        return ((string)config["rq_username"]!, (string)config["rq_password"]!);
    }

    private static string AdminPasswordFrom(string output) =>
        Regex.Match(output, "shown only this once: (\\S+)") is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("No admin password in: " + output);

    [Fact]
    public async Task Generated_login_carries_enqueue_worker_doctor_and_realtime()
    {
        await using var bench = await BenchWithAclAsync("--use-rq-auth", "--set-admin-password");
        var admin = AdminPasswordFrom(bench.OutputText);
        await using var redis = await RedisWithAclAsync(bench);
        var config = bench.Bench.ReadCommonConfig();
        Assert.Equal(bench.BenchId, (string?)config["rq_username"]);
        Assert.True(new SiteConfig(config).GetBool("use_rq_auth"));

        // default has a password now, so anything that works below logged in as the bench user.
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectAsync(redis, "default", "not-the-password"));

        var (site, file) = await RedisQueueLoginTests.SiteWithLogJobAsync(bench, "generated");
        Assert.True(await bench.RunBenchAsync("worker", "--burst") == 0, bench.OutputText);
        Assert.Equal(["generated Administrator"], await File.ReadAllLinesAsync(file));
        Assert.True(await bench.RunBenchAsync("--site", site.Name, "doctor") == 0, bench.OutputText);
        Assert.Contains("Workers (0) on bench " + bench.BenchId, bench.OutputText);

        await RedisQueueLoginTests.AssertBridgeCarriesAsync(bench, site.Name);

        // The printed admin password is default's, and every key the bench wrote is under its prefix.
        await using var asAdmin = await ConnectAsync(redis, "default", admin);
        var keys = new List<string>();
        await foreach (var key in asAdmin.GetServer(asAdmin.GetEndPoints()[0]).KeysAsync(pattern: "*"))
            keys.Add(key.ToString());
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.StartsWith("sb:" + bench.BenchId + ":", k, StringComparison.Ordinal));

        // Nothing the bench user did was refused, not even the client library's own housekeeping
        // (the log also holds this test's deliberate wrong password for default).
        var denied = ((RedisResult[])(await asAdmin.GetServer(asAdmin.GetEndPoints()[0]).ExecuteAsync("ACL", "LOG"))!)
            .Select(d => string.Join(",", ((RedisResult[])d!).Select(x => x.ToString())))
            .Where(d => d.Contains(",username," + bench.BenchId + ",", StringComparison.Ordinal))
            .ToList();
        Assert.True(denied.Count == 0, "ACL LOG: " + string.Join(" | ", denied));
    }

    [Fact]
    public async Task Bench_user_cannot_touch_another_bench_or_run_admin_commands()
    {
        await using var bench = await BenchWithAclAsync();
        await using var redis = await RedisWithAclAsync(bench);
        var (user, password) = BenchLogin(bench);
        await using var redisAsBench = await ConnectAsync(redis, user, password);
        var db = redisAsBench.GetDatabase();
        var own = "sb:" + bench.BenchId + ":";
        const string other = "sb:test-other-bench:";

        // Its own keys and signal channel work, so the refusals below are about the other bench.
        await db.StringSetAsync(own + "probe", "1");
        Assert.Equal("1", (string?)await db.StringGetAsync(own + "probe"));
        await db.PublishAsync(RedisChannel.Literal(own + "wake"), "x");

        async Task AssertNoPerm(Func<Task> action)
        {
            var e = await Assert.ThrowsAsync<RedisServerException>(action);
            Assert.Contains("NOPERM", e.Message, StringComparison.Ordinal);
        }
        await AssertNoPerm(() => db.StringGetAsync(other + "job:x"));
        await AssertNoPerm(() => db.StringSetAsync(other + "job:x", "stolen"));
        await AssertNoPerm(() => db.PublishAsync(RedisChannel.Literal(other + "control"), "stop:x"));
        await AssertNoPerm(() => db.ExecuteAsync("CONFIG", "GET", "maxmemory"));
        await AssertNoPerm(() => db.ExecuteAsync("ACL", "LIST"));
        // Keyless commands that would wipe or list every bench's keys despite the key patterns.
        await AssertNoPerm(() => db.ExecuteAsync("FLUSHALL"));
        await AssertNoPerm(() => db.ExecuteAsync("KEYS", "*"));
        await AssertNoPerm(() => db.ExecuteAsync("SCAN", "0"));
        // A Lua script runs with the caller's rights (our queue scripts rely on EVAL being allowed).
        var script = await Assert.ThrowsAsync<RedisServerException>(() => db.ScriptEvaluateAsync("return redis.call('SET', KEYS[1], 'x')", [(RedisKey)(other + "s")]));
        Assert.Matches("NOPERM|can't access", script.Message);
        Assert.Equal(1, (int)await db.ScriptEvaluateAsync("return redis.call('SET', KEYS[1], 'x') and 1", [(RedisKey)(own + "s")]));
    }

    [Fact]
    public async Task Acl_file_is_0600_without_clear_passwords_and_a_rerun_replaces_the_bench_password()
    {
        await using var bench = await BenchWithAclAsync("--set-admin-password");
        var admin = AdminPasswordFrom(bench.OutputText);
        var path = RedisQueueAcl.PathFor(bench.Bench);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(path));
        var (user, password) = BenchLogin(bench);
        var text = await File.ReadAllTextAsync(path);
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(admin, text, StringComparison.Ordinal);
        Assert.DoesNotContain(">", text, StringComparison.Ordinal);
        Assert.Contains($"user {user} on #{Sha256(password)} ", text, StringComparison.Ordinal);
        Assert.Contains($"user default on #{Sha256(admin)} ", text, StringComparison.Ordinal);
        // Without --use-rq-auth the processes keep their login until the operator switches.
        Assert.Null(bench.Bench.ReadCommonConfig()["use_rq_auth"]);

        bench.Output.Clear();
        Assert.True(await bench.RunBenchAsync("create-rq-users") == 0, bench.OutputText);
        Assert.Contains("Replaced the previous file", bench.OutputText);
        var (_, newPassword) = BenchLogin(bench);
        Assert.NotEqual(password, newPassword);
        var rewritten = await File.ReadAllTextAsync(path);
        Assert.Contains($"user {user} on #{Sha256(newPassword)} ", rewritten, StringComparison.Ordinal);
        Assert.DoesNotContain(Sha256(password), rewritten, StringComparison.Ordinal);
        // Rotating the bench password without --set-admin-password keeps default's password
        // instead of reopening the server with nopass.
        Assert.Contains($"user default on #{Sha256(admin)} ", rewritten, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(path));
    }

    [Fact]
    public async Task RQ_ADMIN_PASWORD_becomes_the_default_users_password()
    {
        const string adminPassword = "from-the-environment";
        var bench = new JobBench(redisUrl: "");
        await using var _ = bench;
        bench.ProcessEnvironment[RedisQueueLogin.AdminPasswordVariable] = adminPassword;
        Assert.True(await bench.RunBenchAsync("create-rq-users", "--set-admin-password") == 0, bench.OutputText);
        Assert.Contains("password from " + RedisQueueLogin.AdminPasswordVariable, bench.OutputText);
        Assert.DoesNotContain("shown only this once", bench.OutputText);
        await using var redis = await RedisWithAclAsync(bench);

        await using (var asDefault = await ConnectAsync(redis, "default", adminPassword))
            Assert.Equal("default", (string?)await asDefault.GetDatabase().ExecuteAsync("ACL", "WHOAMI"));
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectAsync(redis, "default", "something-else"));
    }

    private static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException("Unix file modes") : File.GetUnixFileMode(path);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
