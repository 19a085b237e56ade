using SharpBench.Data;

namespace SharpBench.Sites;

/// <summary>A resolved, existing site with its merged config, as a request or a job sees it.</summary>
/// <param name="host">The host's state (meta cache, sessions, clock); a site made outside any host gets its own.</param>
public sealed class Site(string name, string path, SiteConfig config, Apps.HostState? host = null)
{
    private Apps.HostState? _host = host;

    public string Name { get; } = name;
    public string Path { get; } = path;
    public SiteConfig Config { get; } = config;

    public DbConnectionInfo Connection { get; } = DbConnectionInfo.ForSite(config, path);

    /// <summary>The state of the host this site was resolved by; a site made outside any host loads its bench's apps into one of its own.</summary>
    public Apps.HostState Host => _host ??= new Apps.HostState(new Bench(System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, "..", ".."))));

    public Task<Database> OpenDatabaseAsync(CancellationToken ct = default) => Database.OpenAsync(Connection, ct);
}
