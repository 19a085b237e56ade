using System.Collections.Concurrent;
using SharpBench.Apps;
using SharpBench.Sites;

namespace SharpBench.Model;

/// <summary>
/// The DocType metas one host has read, per site (keyed by the site's database, so two site
/// names on one database share it). One per host: <c>host.Meta</c>.
/// </summary>
public sealed class MetaCache
{
    public static readonly TimeSpan DefaultRecheckInterval = TimeSpan.FromSeconds(2);

    internal sealed class SiteCache(IReadOnlyList<App> apps)
    {
        public readonly IReadOnlyList<App> Apps = apps;
        public readonly Dictionary<string, DocTypeMeta> Shipped = apps.SelectMany(a => a.DocTypes())
            .GroupBy(m => m.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        public readonly ConcurrentDictionary<string, DocTypeMeta> Loaded = new(StringComparer.Ordinal);
        public IReadOnlyList<string>? Names;
        public ConcurrentDictionary<string, IReadOnlyList<LinkRef>> Links = new(StringComparer.Ordinal);
        public string? Stamp;
        public long CheckedAt;
    }

    private readonly ConcurrentDictionary<string, SiteCache> _caches = new(StringComparer.Ordinal);

    /// <summary>How long a cached meta is trusted before tabDocType's stamp is compared again.</summary>
    public TimeSpan RecheckInterval { get; init; } = DefaultRecheckInterval;

    private static string KeyOf(Site site) => site.Connection.ConnectionString;

    internal SiteCache Of(Site site) =>
        _caches.GetOrAdd(KeyOf(site), _ => new SiteCache(site.Host.Apps.ForBench(BenchOf(site))));

    /// <summary>A fresh cache for the site holding only the apps it has installed (null: every app of the bench).</summary>
    internal SiteCache Reset(Site site, IReadOnlyList<string>? installed)
    {
        var cache = new SiteCache(InstalledApps.Resolve(site.Host.Apps, BenchOf(site), installed));
        _caches[KeyOf(site)] = cache;
        return cache;
    }

    private static Bench BenchOf(Site site) => new(Path.GetFullPath(Path.Combine(site.Path, "..", "..")));

    internal void Invalidate(Site site) => _caches.TryRemove(KeyOf(site), out _);
}
