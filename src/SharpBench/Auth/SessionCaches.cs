using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SharpBench.Auth;

/// <summary>The session state one host keeps: recently read sessions, the session expiry setting per site, and its log.</summary>
public sealed class SessionCaches(ILogger log)
{
    public LocalSessionCache Local { get; } = new();

    internal ConcurrentDictionary<string, (TimeSpan Expiry, DateTimeOffset ReadAt)> Expiries { get; } = new(StringComparer.Ordinal);

    internal ILogger Log { get; } = log;
}
