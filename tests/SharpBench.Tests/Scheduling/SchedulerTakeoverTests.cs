using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using SharpBench.Jobs;
using SharpBench.Scheduling;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Scheduling;

/// <summary>
/// A standby scheduler replaces a leader that died (stopped renewing without releasing, as after
/// SIGKILL) as soon as the dead leader's lock expires: within the lease of its last renewal, not a
/// lease and up to a third more. On a swarm this is also what lets the standby, rather than the
/// killed task's replacement, take over.
/// </summary>
public sealed class SchedulerTakeoverTests
{
    [Fact]
    public async Task A_standby_takes_over_when_the_dead_leaders_lock_expires()
    {
        var redis = await RedisConnections.Outside.QueueAsync(TestServices.RedisQueue);
        var key = SchedulerLeadership.KeyFor("takeover-" + Guid.NewGuid().ToString("N")[..8]);
        var lease = TimeSpan.FromSeconds(3);
        var dead = new SchedulerLeadership(redis, key, lease, NullLogger.Instance);
        var standby = new SchedulerLeadership(redis, key, lease, NullLogger.Instance);
        try
        {
            Assert.True(await dead.RefreshAsync());
            using var stop = new CancellationTokenSource();
            var running = standby.RunAsync(stop.Token);
            // The standby's first try failed just now; the leader renews once more, then dies. Its
            // lock expires one lease after this renewal, which a standby asking every third of a
            // lease from its own start notices up to 0.9 s late here.
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            Assert.True(await dead.RefreshAsync());
            var lastRenewal = Stopwatch.GetTimestamp();
            Assert.False(standby.IsLeader);

            while (!standby.IsLeader && Stopwatch.GetElapsedTime(lastRenewal) < TimeSpan.FromSeconds(10))
                await Task.Delay(10);
            var took = Stopwatch.GetElapsedTime(lastRenewal);
            await stop.CancelAsync();
            await running;

            Assert.True(took >= lease - TimeSpan.FromMilliseconds(50), $"took over after {took.TotalMilliseconds:F0} ms, before the lease ran out");
            Assert.True(took <= lease + TimeSpan.FromMilliseconds(400), $"took over {took.TotalMilliseconds:F0} ms after the last renewal (lease {lease.TotalMilliseconds} ms)");
        }
        finally
        {
            await redis.GetDatabase().KeyDeleteAsync(key);
        }
    }

    [Fact]
    public async Task A_standby_behind_a_live_leader_asks_every_third_of_a_lease()
    {
        var redis = await RedisConnections.Outside.QueueAsync(TestServices.RedisQueue);
        var key = SchedulerLeadership.KeyFor("takeover-" + Guid.NewGuid().ToString("N")[..8]);
        var lease = TimeSpan.FromSeconds(30);
        var leader = new SchedulerLeadership(redis, key, lease, NullLogger.Instance);
        var standby = new SchedulerLeadership(redis, key, lease, NullLogger.Instance);
        try
        {
            Assert.True(await leader.RefreshAsync());
            Assert.False(await standby.RefreshAsync());
            // The lock has most of its lease left: no busier than before.
            Assert.Equal(lease / 3, standby.NextRefresh);
            Assert.Equal(lease / 3, leader.NextRefresh);
        }
        finally
        {
            await redis.GetDatabase().KeyDeleteAsync(key);
        }
    }
}
