namespace SharpBench.Jobs;

/// <summary>
/// <c>redis_queue</c> could not take a job within <c>redis_queue_timeout</c>: it is down, hung or
/// still loading its data. A 503 rather than Frappe's 500, so clients and proxies know a retry
/// may work; the exception name is the one Frappe's redis client raises (<c>ConnectionError</c>).
/// </summary>
public sealed class QueueUnavailableError(string message) : FrappeException(message, "ConnectionError", 503);
