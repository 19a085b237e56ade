using System.Collections.Concurrent;

namespace SharpBench.Sites;

/// <summary>
/// Resolves site names to <see cref="Site"/> objects for long-running roles. Each entry is
/// re-checked against the config files' modification times at most once per
/// <see cref="RecheckInterval"/>, so a site created, changed or dropped by another process is
/// seen within that interval without a file read on every request.
/// </summary>
/// <param name="host">The host's state every site it resolves carries (<c>BenchHost.Sites</c> makes a registry with its own).</param>
public sealed class SiteRegistry(Bench bench, HostState host)
{
    private sealed record Entry(Site? Site, DateTime SiteStamp, DateTime CommonStamp, long CheckedAt);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private (string? Name, long? CheckedAt) _default;

    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    public Bench Bench { get; } = bench;

    public HostState Host { get; } = host;

    /// <summary>The site of that name, or null when the name is invalid or no such site exists.</summary>
    public Site? Find(string? name)
    {
        if (name is null || !SiteName.IsValid(name))
            return null;
        var now = Environment.TickCount64;
        if (_entries.TryGetValue(name, out var entry) && now - entry.CheckedAt < RecheckInterval.TotalMilliseconds)
            return entry.Site;
        var configPath = Path.Combine(Bench.SitesPath, name, Bench.SiteConfigFile);
        var siteStamp = File.Exists(configPath) ? File.GetLastWriteTimeUtc(configPath) : DateTime.MinValue;
        var commonStamp = File.Exists(Bench.CommonConfigPath) ? File.GetLastWriteTimeUtc(Bench.CommonConfigPath) : DateTime.MinValue;
        if (entry is not null && entry.SiteStamp == siteStamp && entry.CommonStamp == commonStamp)
        {
            _entries[name] = entry with { CheckedAt = now };
            return entry.Site;
        }
        Site? site = null;
        if (siteStamp != DateTime.MinValue)
        {
            var config = Bench.SiteConfig(name);
            // A folder whose config names no database is not a usable site (Frappe answers 404).
            if (config.GetString("db_name") is not null)
                site = new Site(name, Path.Combine(Bench.SitesPath, name), config, Host);
        }
        _entries[name] = new Entry(site, siteStamp, commonStamp, now);
        return site;
    }

    public string? DefaultSiteName
    {
        get
        {
            var now = Environment.TickCount64;
            var cached = _default;
            if (cached.CheckedAt is { } at && now - at < RecheckInterval.TotalMilliseconds)
                return cached.Name;
            var name = Bench.DefaultSite;
            _default = (name, now);
            return name;
        }
    }
}
