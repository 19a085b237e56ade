using System.Net;
using System.Text.Json.Nodes;
using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Sites;

/// <summary>
/// Frappe's <c>db_socket</c>: the site reaches its database server over a Unix socket. Every
/// test points <c>db_host</c> at a name that does not resolve, so only the socket can work.
/// </summary>
public class DbSocketTests
{
    private const string NoSuchHost = "db.invalid";

    public static TheoryData<DbKind> ServerDatabases => new() { DbKind.MariaDb, DbKind.Postgres };

    private static string Socket(DbKind kind) => kind == DbKind.MariaDb ? TestServices.MariaDbSocket : TestServices.PostgresSocketDir;

    [Theory]
    [MemberData(nameof(ServerDatabases))]
    public async Task NewSiteMigrateAndBackupGoThroughTheSocket(DbKind kind)
    {
        await using var b = new TempBench();
        var name = TempBench.UniqueSite("sock");
        var (port, user, password) = kind == DbKind.MariaDb
            ? (TestServices.MariaDbPort, TestServices.MariaDbRootUser, TestServices.MariaDbRootPassword)
            : (TestServices.PostgresPort, TestServices.PostgresRootUser, TestServices.PostgresRootPassword);
        string[] args =
        [
            "new-site", name, "--admin-password", "admin", "--db-type", kind.ConfigName(),
            "--db-host", NoSuchHost, "--db-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--db-socket", Socket(kind), "--db-root-username", user, "--db-root-password", password,
        ];
        try
        {
            var created = await BenchCli.RunAsync(b.Root, args);
            Assert.True(created.ExitCode == 0, created.Output);
            Assert.Equal(Socket(kind), b.Bench.SiteConfig(name).GetString("db_socket"));

            var migrated = await BenchCli.RunAsync(b.Root, "--site", name, "migrate");
            Assert.True(migrated.ExitCode == 0, migrated.Output);

            await using (var db = await BenchHost.Sites(b.Bench).Find(name)!.OpenDatabaseAsync())
                Assert.Equal(2L, Convert.ToInt64(await db.ScalarAsync($"SELECT COUNT(*) FROM {db.Dialect.Quote("tabUser")}", []), System.Globalization.CultureInfo.InvariantCulture));

            // The dump tool gets the socket too.
            var backup = await BenchCli.RunAsync(b.Root, "--site", name, "backup");
            Assert.True(backup.ExitCode == 0, backup.Output);
            var dump = Assert.Single(Directory.GetFiles(Path.Combine(b.Bench.SitesPath, name, "private", "backups"), "*-database.sql.gz"));
            await SharpBench.Backups.DatabaseLoad.ValidateAsync(dump, default);
        }
        finally
        {
            await TempBench.Admin(kind).DropSiteDatabaseAsync(Secrets.DbName(name));
        }
    }

    [Theory]
    [MemberData(nameof(ServerDatabases))]
    public async Task TheApiReadsAndWritesThroughTheSocket(DbKind kind)
    {
        await using var server = await LiveServer.StartAsync(kind, siteConfig: c =>
        {
            c["db_host"] = NoSuchHost;
            c["db_socket"] = Socket(kind);
        });
        var client = await server.LoginAsync();

        var created = await client.PostAsync("/api/resource/ToDo", LiveServer.Json(new JsonObject { ["description"] = "over the socket" }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var name = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["data"]!["name"]!;
        var read = JsonNode.Parse(await client.GetStringAsync($"/api/resource/ToDo/{name}"))!;
        Assert.Equal("over the socket", (string)read["data"]!["description"]!);
    }

    [Fact]
    public async Task AMissingSocketIsAClearErrorAndNoSiteIsLeft()
    {
        await using var b = new TempBench();
        var name = TempBench.UniqueSite("nosock");
        var missing = Path.Combine(b.Root, "no-such.sock");
        var r = await BenchCli.RunAsync(b.Root, "new-site", name, "--admin-password", "admin", "--db-type", "mariadb",
            "--db-socket", missing, "--db-root-username", TestServices.MariaDbRootUser, "--db-root-password", TestServices.MariaDbRootPassword);

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(missing, r.Output);
        Assert.False(b.Bench.SiteExists(name));
    }
}
