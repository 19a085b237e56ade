using SharpBench.Sites;

namespace SharpBench.Apps;

/// <summary>The apps' parts of a host: the apps it loaded and the methods they registered.</summary>
public static class AppHostParts
{
    extension(HostState host)
    {
        /// <summary>The apps this host loaded: the core app and the bench's.</summary>
        public AppRegistry Apps => host.Part(static h => new AppRegistry(h));

        /// <summary>The methods callable by dotted name on this host's sites.</summary>
        public MethodRegistry Methods => host.Part(static _ => new MethodRegistry());
    }
}
