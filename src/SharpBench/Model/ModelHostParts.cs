using System.Collections.Concurrent;
using SharpBench.Sites;

namespace SharpBench.Model;

/// <summary>The model's parts of a host: the meta cache, hooks registered in code, virtual DocTypes, site time zones.</summary>
public static class ModelHostParts
{
    extension(HostState host)
    {
        public MetaCache Meta => host.Part(static _ => new MetaCache());

        /// <summary>Controllers and <c>doc_events</c> hooks registered in code (beside the apps' own).</summary>
        public DocEventRegistry DocEvents => host.Part(static _ => new DocEventRegistry());

        /// <summary>The providers of virtual DocTypes (RQ Job, RQ Worker) on this host.</summary>
        public VirtualDocTypes VirtualDocTypes => host.Part(static _ => new VirtualDocTypes());

        /// <summary>Each site's time zone setting and when it was read (<see cref="SiteTime"/>).</summary>
        internal ConcurrentDictionary<string, (TimeZoneInfo Zone, DateTimeOffset ReadAt)> Zones =>
            host.Part(static _ => new ConcurrentDictionary<string, (TimeZoneInfo Zone, DateTimeOffset ReadAt)>(StringComparer.Ordinal));
    }
}
