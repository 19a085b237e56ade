using SharpBench.Data;

namespace SharpBench.Sites;

/// <summary>A resolved, existing site with its merged config, as a request or a job sees it.</summary>
public sealed class Site(string name, string path, SiteConfig config)
{
    public string Name { get; } = name;
    public string Path { get; } = path;
    public SiteConfig Config { get; } = config;

    public DbConnectionInfo Connection { get; } = DbConnectionInfo.ForSite(config, path);

    public Task<Database> OpenDatabaseAsync(CancellationToken ct = default) => Database.OpenAsync(Connection, ct);
}
