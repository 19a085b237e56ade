using System.Text.Json.Nodes;
using SharpBench.Backups;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Backups;

/// <summary>
/// A backup gives mariadb-dump and pg_dump the login straight from the site's config; it must be
/// the very login the site's connection string holds, or a backup would reach another server.
/// </summary>
public sealed class DbToolsTests
{
    public static TheoryData<string> Configs => new()
    {
        """{"db_type": "mariadb", "db_name": "_a1", "db_password": "p w;'x"}""",
        """{"db_type": "mariadb", "db_name": "_a1", "db_user": "someone", "db_host": "db.example", "db_port": 3307}""",
        """{"db_type": "mariadb", "db_name": "_a1", "db_password": "pw", "db_host": "db.invalid", "db_socket": "/run/mysqld/mysqld.sock"}""",
        """{"db_type": "postgres", "db_name": "_a1", "db_password": "pw"}""",
        """{"db_type": "postgres", "db_name": "_a1", "db_password": "pw", "db_host": "pg.example", "db_port": 5433, "db_user": "u"}""",
        """{"db_type": "postgres", "db_name": "_a1", "db_password": "pw", "db_socket": "/run/postgresql"}""",
        """{"db_type": "postgres", "db_name": "_a1", "db_password": "pw", "db_socket": "/run/postgresql/.s.PGSQL.5499"}""",
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public async Task LoginFromConfigIsTheConnectionsLogin(string json)
    {
        await using var b = new TempBench();
        var site = new Site("x.localhost", Path.Combine(b.Bench.SitesPath, "x.localhost"), new SiteConfig(JsonNode.Parse(json)!.AsObject()), new HostState(b.Bench));
        Assert.Equal(DbTools.Parse(site.Connection), DbTools.For(site.ServerLogin));
    }
}
