using SharpBench.Data;

namespace SharpBench.Sites;

/// <summary>A resolved, existing site with its merged config, as a request or a job sees it.</summary>
/// <param name="core">The host's state (meta cache, sessions, clock); a site made outside any host gets its own.</param>
public sealed class Site(string name, string path, SiteConfig config, Apps.SharpBenchCore? core = null)
{
    private Apps.SharpBenchCore? _core = core;

    public string Name { get; } = name;
    public string Path { get; } = path;
    public SiteConfig Config { get; } = config;

    public DbConnectionInfo Connection { get; } = DbConnectionInfo.ForSite(config, path);

    /// <summary>The state of the host this site was resolved by.</summary>
    public Apps.SharpBenchCore Core => _core ??= new Apps.SharpBenchCore();

    public Task<Database> OpenDatabaseAsync(CancellationToken ct = default) => Database.OpenAsync(Connection, ct);
}
