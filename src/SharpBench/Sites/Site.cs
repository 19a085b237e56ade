using SharpBench.Data;

namespace SharpBench.Sites;

/// <summary>A resolved, existing site with its merged config, as a request or a job sees it.</summary>
/// <param name="host">The state of the host that resolved the site (its apps, meta cache, sessions, clock).</param>
public sealed class Site(string name, string path, SiteConfig config, HostState host)
{

    public string Name { get; } = name;
    public string Path { get; } = path;

    /// <summary>The bench folder the site lives in (<c>BENCH/sites/SITE</c>).</summary>
    public string BenchRoot => System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(Path)!)!;
    public SiteConfig Config { get; } = config;

    public DbConnectionInfo Connection { get; } = ConnectionFor(config, path);

    /// <summary>The state of the host this site was resolved by.</summary>
    public HostState Host { get; } = host;

    /// <summary>Where a site's database lives and how to log in, from its merged config.</summary>
    public static DbConnectionInfo ConnectionFor(SiteConfig config, string sitePath)
    {
        var kind = DbKinds.Parse(config.GetString("db_type"));
        var dbName = config.GetString("db_name") ?? throw new BenchException($"{sitePath}: site_config.json has no db_name");
        if (kind == DbKind.Sqlite)
            return DbConnectionInfo.Sqlite(DbConnectionInfo.SqlitePath(sitePath, dbName));
        var user = config.GetString("db_user") ?? dbName;
        var password = config.GetString("db_password") ?? "";
        return DbConnectionInfo.Server(config.DbEndpoint(kind), user, password, dbName);
    }

    public Task<Database> OpenDatabaseAsync(CancellationToken ct = default) => Database.OpenAsync(Connection, ct);
}
