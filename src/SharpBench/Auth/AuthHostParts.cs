using Microsoft.Extensions.Logging;
using SharpBench.Sites;

namespace SharpBench.Auth;

/// <summary>Auth's parts of a host: the sessions it read and the login counters it holds while Redis is away.</summary>
public static class AuthHostParts
{
    extension(HostState host)
    {
        public SessionCaches Sessions => host.Part(static h => new SessionCaches(h.Loggers.CreateLogger("SharpBench.Auth")));

        public LoginLock.Counters LoginCounters => host.Part(static _ => new LoginLock.Counters());
    }
}
