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

    private DbConnectionInfo? _connection;

    /// <summary>
    /// Built on first use: the connection string comes from the client library (MySqlConnector,
    /// Npgsql), which a command that never opens a connection, such as a backup through
    /// mariadb-dump, should not wait to load.
    /// </summary>
    public DbConnectionInfo Connection => _connection ??= ConnectionFor(Config, Path);

    /// <summary>The database's type from the config, without building <see cref="Connection"/>.</summary>
    internal DbKind DatabaseKind => DbKinds.Parse(Config.GetString("db_type"));

    /// <summary>The database server and login from the config (MariaDB and PostgreSQL sites), without a client library.</summary>
    internal DbLogin ServerLogin => ServerLoginFor(Config, Path, DatabaseKind);

    /// <summary>The state of the host this site was resolved by.</summary>
    public HostState Host { get; } = host;

    /// <summary>Where a site's database lives and how to log in, from its merged config.</summary>
    public static DbConnectionInfo ConnectionFor(SiteConfig config, string sitePath)
    {
        var kind = DbKinds.Parse(config.GetString("db_type"));
        if (kind == DbKind.Sqlite)
            return DbConnectionInfo.Sqlite(DbConnectionInfo.SqlitePath(sitePath, DbName(config, sitePath)));
        var login = ServerLoginFor(config, sitePath, kind);
        return DbConnectionInfo.Server(login.Endpoint, login.User, login.Password, login.Database);
    }

    private static DbLogin ServerLoginFor(SiteConfig config, string sitePath, DbKind kind)
    {
        var dbName = DbName(config, sitePath);
        return new DbLogin(config.DbEndpoint(kind), config.GetString("db_user") ?? dbName, config.GetString("db_password") ?? "", dbName);
    }

    private static string DbName(SiteConfig config, string sitePath) =>
        config.GetString("db_name") ?? throw new BenchException($"{sitePath}: site_config.json has no db_name");

    public Task<Database> OpenDatabaseAsync(CancellationToken ct = default) => Database.OpenAsync(Connection, ct);
}
