using Microsoft.Extensions.Logging;

namespace SharpBench.Jobs;

/// <summary>The worker's log lines, compiled once (a line per job must cost next to nothing).</summary>
internal static partial class JobLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Name} ({Kind}) started, pid {Pid}, queues {Queues} (in this priority), concurrency {Concurrency}{Burst}")]
    public static partial void WorkerStarted(ILogger logger, string name, string kind, int pid, string queues, int concurrency, string burst);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Name} stopping: waiting for {Count} running job(s) to finish")]
    public static partial void WorkerDraining(ILogger logger, string name, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Name} stopped: {Ok} finished, {Failed} failed")]
    public static partial void WorkerStopped(ILogger logger, string name, long ok, long failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unregister worker {Name}: {Error}")]
    public static partial void UnregisterFailed(ILogger logger, string name, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue unavailable ({Error}); retrying in 1 s")]
    public static partial void QueueUnavailable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Queue}: {Method} ({Id}) was left by a worker that stopped; running it again (attempt {Attempt})")]
    public static partial void Reclaimed(ILogger logger, string queue, string method, string id, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping job {Id} on request")]
    public static partial void StopRequested(ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Queue}: {Method} ({Id}) started")]
    public static partial void JobStarted(ILogger logger, string queue, string method, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Queue}: {Method} ({Id}) finished in {Ms} ms")]
    public static partial void JobFinished(ILogger logger, string queue, string method, string id, double ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Queue}: {Method} ({Id}) {Status}: {Error}")]
    public static partial void JobNotFinished(ILogger logger, string queue, string method, string id, string status, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the outcome of {Id} ({Error}); retrying")]
    public static partial void CompleteRetry(ILogger logger, string id, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up recording the outcome of {Id}: {Error}; another worker will run it again")]
    public static partial void CompleteGaveUp(ILogger logger, string id, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} ({Id}) was delivered again after its run committed; acknowledged without running it again")]
    public static partial void AlreadyCompleted(ILogger logger, string method, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed: {Error}")]
    public static partial void HeartbeatFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} ({Id}): {Error}; retry {Retry} of {Max}")]
    public static partial void Retrying(ILogger logger, string method, string id, string error, int retry, int max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "on_failure callback {Callback} of {Id} failed: {Error}")]
    public static partial void CallbackFailed(ILogger logger, string callback, string id, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write the Error Log for job {Id} in {Site}: {Error}")]
    public static partial void ErrorLogFailed(ILogger logger, string id, string site, string error);
}
