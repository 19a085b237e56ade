using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SharpBench.Scheduling;

/// <summary>
/// One active scheduler per bench: replicas compete for a Redis key holding the leader's id
/// (SET NX PX); the leader renews it (compare-and-renew in Lua) every third of the lease. A
/// leader that cannot renew stops scheduling before its lease runs out, so two schedulers never
/// run at once, and a dead leader's key expires so a standby takes over within one lease: a
/// standby asks again when the key expires, not a third of a lease later.
/// Every refresh also writes this host's heartbeat (<see cref="HeartbeatKeyFor"/>), leader or
/// standby, which <c>bench health scheduler</c> reads as the container's healthcheck.
/// </summary>
public sealed class SchedulerLeadership(IConnectionMultiplexer redis, string key, TimeSpan lease, ILogger logger, string? heartbeatKey = null)
{
    private const string RenewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private long _leaderUntil;
    private string? _lastHolder;
    private TimeSpan? _holderExpiresIn;

    /// <summary>The margin a standby leaves after the holder's key should have expired.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMilliseconds(25);

    /// <summary>The Redis key of a bench's scheduler lock, next to the bench's job keys.</summary>
    public static string KeyFor(string benchId) => "sb:" + benchId + ":scheduler:leader";

    /// <summary>The heartbeat of the scheduler on <paramref name="host"/> (a container's host name is its own).</summary>
    public static string HeartbeatKeyFor(string benchId, string? host = null) =>
        "sb:" + benchId + ":scheduler:heartbeat:" + (host ?? Environment.MachineName);

    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public string Key => key;

    /// <summary>Called after each refresh Redis answered, leader or standby (the role's health file).</summary>
    public Action? Heartbeated { get; init; }

    public TimeSpan Lease => lease;

    /// <summary>True while this process holds an unexpired lease (measured on its own monotonic clock).</summary>
    public bool IsLeader => Stopwatch.GetTimestamp() < Interlocked.Read(ref _leaderUntil);

    /// <summary>Renews the lease when held, else tries to take it; returns whether this process leads now.</summary>
    public async Task<bool> RefreshAsync()
    {
        var db = redis.GetDatabase();
        // The lease counts from before the round trip, so the local view never outlives Redis's.
        var started = Stopwatch.GetTimestamp();
        var leaseMs = (long)lease.TotalMilliseconds;
        bool held;
        _holderExpiresIn = null;
        if (IsLeader)
        {
            held = (long)await db.ScriptEvaluateAsync(RenewScript, [key], [Owner, leaseMs]) == 1;
            if (!held)
                SchedulerLog.LostLeadership(logger, Owner, key);
        }
        else
        {
            held = await db.StringSetAsync(key, Owner, lease, When.NotExists);
            if (held)
            {
                SchedulerLog.BecameLeader(logger, Owner, key, lease.TotalSeconds);
                _lastHolder = Owner;
            }
            else
            {
                var holder = (string?)await db.StringGetAsync(key);
                // A dead leader's key outlives it by up to one lease: the next try is due when it
                // expires (a key gone meanwhile: at once).
                _holderExpiresIn = holder is null ? TimeSpan.Zero : await db.KeyTimeToLiveAsync(key);
                if (holder != _lastHolder)
                {
                    SchedulerLog.StandingBy(logger, Owner, holder ?? "(none)");
                    _lastHolder = holder;
                }
            }
        }
        Interlocked.Exchange(ref _leaderUntil, held ? started + (long)(lease.TotalSeconds * Stopwatch.Frequency) : 0);
        if (heartbeatKey is not null)
            await WriteHeartbeatAsync(db, heartbeatKey, held);
        return held;
    }

    /// <summary>A hash that lives one lease: who beats, whether it leads, and when (UTC, the job records' format).</summary>
    private async Task WriteHeartbeatAsync(IDatabase db, string heartbeat, bool leading)
    {
        var batch = db.CreateBatch();
        var set = batch.HashSetAsync(heartbeat,
            [new HashEntry("owner", Owner), new HashEntry("leader", leading ? 1 : 0), new HashEntry("last_heartbeat", Jobs.JobRecord.Format(Jobs.JobRecord.Now()))]);
        var expire = batch.KeyExpireAsync(heartbeat, lease);
        batch.Execute();
        await Task.WhenAll(set, expire);
    }

    /// <summary>
    /// When to refresh next: a third of a lease, or for a standby as soon as the holder's key
    /// expires when that is sooner (a leader that died is replaced within its lease, not a lease
    /// and a third; the standby also beats the killed task's replacement to the lock).
    /// </summary>
    public TimeSpan NextRefresh
    {
        get
        {
            var period = lease / 3;
            return _holderExpiresIn is { } left && left + ExpiryMargin < period ? left + ExpiryMargin : period;
        }
    }

    /// <summary>Keeps refreshing until cancelled, then gives the lock up so a standby need not wait for the lease.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var period = lease / 3;
            try
            {
                await RefreshAsync();
                Heartbeated?.Invoke();
                period = NextRefresh;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                SchedulerLog.RedisDown(logger, Owner, e.Message);
            }
            try
            {
                await Task.Delay(period, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await ReleaseAsync();
    }

    public async Task ReleaseAsync()
    {
        if (!IsLeader)
            return;
        Interlocked.Exchange(ref _leaderUntil, 0);
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [key], [Owner]);
            SchedulerLog.Released(logger, Owner);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            SchedulerLog.ReleaseFailed(logger, Owner, e.Message);
        }
    }
}
