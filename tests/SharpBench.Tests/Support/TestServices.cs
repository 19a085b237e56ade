using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench.Tests.Support;

/// <summary>
/// Addresses of the real servers tests/services/start.sh runs on loopback. The environment
/// variables it exports win; the defaults are the ports that script uses.
/// </summary>
public static class TestServices
{
    private static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;

    public static string MariaDbHost => Env("SB_MARIADB_HOST", "127.0.0.1");
    public static int MariaDbPort => int.Parse(Env("SB_MARIADB_PORT", "13306"), System.Globalization.CultureInfo.InvariantCulture);
    public static string MariaDbRootUser => Env("SB_MARIADB_ROOT_USER", "root");
    public static string MariaDbRootPassword => Env("SB_MARIADB_ROOT_PASSWORD", "root");
    public static string MariaDbSocket => Env("SB_MARIADB_SOCKET", Path.Combine(ServicesDir, "mariadb", "mariadb.sock"));

    public static string PostgresHost => Env("SB_POSTGRES_HOST", "127.0.0.1");
    public static int PostgresPort => int.Parse(Env("SB_POSTGRES_PORT", "15432"), System.Globalization.CultureInfo.InvariantCulture);
    public static string PostgresRootUser => Env("SB_POSTGRES_ROOT_USER", "postgres");
    public static string PostgresRootPassword => Env("SB_POSTGRES_ROOT_PASSWORD", "postgres");

    /// <summary>The folder of PostgreSQL's Unix socket (private to the postgres user; trust login there).</summary>
    public static string PostgresSocketDir => Env("SB_POSTGRES_SOCKET_DIR", Path.Combine(ServicesDir, "postgres", "run"));

    private static string ServicesDir => Env("SB_SERVICES_DIR", "/tmp/sharpbench-services");

    public static string RedisQueue => Env("SB_REDIS_QUEUE", "redis://127.0.0.1:16379");
    public static string RedisCache => Env("SB_REDIS_CACHE", "redis://127.0.0.1:16380");

    /// <summary><c>new-site</c> options for a site on the test server of that kind (SQLite: a file in the bench).</summary>
    public static NewSiteOptions SiteOptions(string site, DbKind kind, string adminPassword = "admin") => kind switch
    {
        DbKind.MariaDb => new NewSiteOptions(site, adminPassword)
        {
            DbType = kind,
            DbHost = MariaDbHost,
            DbPort = MariaDbPort,
            RootUser = MariaDbRootUser,
            RootPassword = MariaDbRootPassword,
        },
        DbKind.Postgres => new NewSiteOptions(site, adminPassword)
        {
            DbType = kind,
            DbHost = PostgresHost,
            DbPort = PostgresPort,
            RootUser = PostgresRootUser,
            RootPassword = PostgresRootPassword,
        },
        _ => new NewSiteOptions(site, adminPassword) { DbType = DbKind.Sqlite },
    };
}
