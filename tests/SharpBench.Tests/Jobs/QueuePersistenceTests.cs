using SharpBench.Jobs;
using SharpBench.Tests.Support;
using StackExchange.Redis;

namespace SharpBench.Tests.Jobs;

/// <summary>
/// A queue Redis without AOF or RDB loses every queued job when it restarts: <c>bench doctor</c>
/// and the worker's start-up log say so, and say when it could not be checked.
/// </summary>
public sealed class QueuePersistenceTests
{
    [Fact]
    public async Task Doctor_and_the_worker_warn_when_the_queue_redis_keeps_nothing_across_a_restart()
    {
        await using var redis = new OwnRedis("--appendonly", "no");
        await redis.StartAsync();
        await using var bench = new JobBench(redis.Url);
        Assert.Equal(0, await bench.RunBenchAsync("doctor"));
        Assert.Contains("has neither AOF (appendonly) nor RDB snapshots (save) on", bench.OutputText, StringComparison.Ordinal);
        Assert.Equal(0, await bench.RunBenchAsync("worker", "--burst"));
        Assert.Equal(2, bench.OutputText.Split("has neither AOF").Length - 1);
    }

    [Fact]
    public async Task No_warning_when_the_queue_redis_runs_with_aof()
    {
        await using var redis = new OwnRedis("--appendonly", "yes");
        await redis.StartAsync();
        await using var bench = new JobBench(redis.Url);
        Assert.Equal(0, await bench.RunBenchAsync("doctor"));
        Assert.DoesNotContain("AOF", bench.OutputText, StringComparison.Ordinal);
        Assert.Equal(QueuePersistence.State.Persistent, (await QueuePersistence.CheckAsync(redis.Url)).State);
    }

    [Fact]
    public async Task A_login_refused_config_get_says_it_could_not_be_checked()
    {
        await using var redis = new OwnRedis();
        await redis.StartAsync();
        await using (var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}"))
            await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "app", "on", ">secret", "~*", "&*", "+@all", "-@admin");

        var report = await QueuePersistence.CheckAsync($"redis://app:secret@127.0.0.1:{redis.Port}");

        Assert.Equal(QueuePersistence.State.Unknown, report.State);
        Assert.Contains("Could not check whether redis_queue", report.Warning("redis://app:***@…"), StringComparison.Ordinal);
        Assert.Contains("NOPERM", report.Detail, StringComparison.Ordinal);
    }
}
