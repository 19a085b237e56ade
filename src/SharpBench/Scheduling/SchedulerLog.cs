using Microsoft.Extensions.Logging;

namespace SharpBench.Scheduling;

/// <summary>The scheduler's log lines, defined once so they cost nothing when the level is off.</summary>
internal static partial class SchedulerLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Could not schedule jobs for site {Site}: {Error}")]
    public static partial void SiteFailed(ILogger logger, string site, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Site {Site}: Scheduled Job Type {Job} is skipped: {Error}")]
    public static partial void BadJob(ILogger logger, string site, string job, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {Site}: queued {Job} on {Queue}")]
    public static partial void Queued(ILogger logger, string site, string job, string queue);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Site {Site}: skipped queueing {Job}, found in queue")]
    public static partial void AlreadyQueued(ILogger logger, string site, string job);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler {Owner} is now the leader (lock {Key}, lease {Lease}s)")]
    public static partial void BecameLeader(ILogger logger, string owner, string key, double lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduler {Owner} lost the leadership (lock {Key} expired or taken)")]
    public static partial void LostLeadership(ILogger logger, string owner, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler {Owner} stands by: {Holder} is the leader")]
    public static partial void StandingBy(ILogger logger, string owner, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduler {Owner} cannot reach Redis for the leader lock: {Error}")]
    public static partial void RedisDown(ILogger logger, string owner, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler {Owner} released the leadership")]
    public static partial void Released(ILogger logger, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduler {Owner} could not release the lock (it expires by itself): {Error}")]
    public static partial void ReleaseFailed(ILogger logger, string owner, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler started: tick every {Tick}s{Mode}")]
    public static partial void Started(ILogger logger, double tick, string mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tick: queued {Count} job(s)")]
    public static partial void Ticked(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduler tick failed")]
    public static partial void TickFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler stopped")]
    public static partial void Stopped(ILogger logger);
}
