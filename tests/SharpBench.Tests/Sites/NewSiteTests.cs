using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Install;
using SharpBench.Model;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Sites;

public class NewSiteTests
{
    public static TheoryData<DbKind> AllDatabases => new() { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres };

    public static TheoryData<DbKind> ServerDatabases => new() { DbKind.MariaDb, DbKind.Postgres };

    private static string[] ServerArgs(DbKind kind, string? rootPassword = null, int? port = null) => kind == DbKind.MariaDb
        ? ["--db-type", "mariadb", "--db-host", TestServices.MariaDbHost, "--db-port", (port ?? TestServices.MariaDbPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
           "--db-root-username", TestServices.MariaDbRootUser, "--db-root-password", rootPassword ?? TestServices.MariaDbRootPassword]
        : ["--db-type", "postgres", "--db-host", TestServices.PostgresHost, "--db-port", (port ?? TestServices.PostgresPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
           "--db-root-username", TestServices.PostgresRootUser, "--db-root-password", rootPassword ?? TestServices.PostgresRootPassword];

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task NewSiteMakesConfigTablesUsersAndRoles(DbKind kind)
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(kind);

        var config = b.Bench.SiteConfig(site.Name);
        Assert.Equal(kind.ConfigName(), config.GetString("db_type"));
        Assert.Equal(Secrets.DbName(site.Name), config.GetString("db_name"));
        Assert.False(string.IsNullOrEmpty(config.GetString("encryption_key")));
        Assert.Equal(44, config.GetString("encryption_key")!.Length);
        if (kind != DbKind.Sqlite)
            Assert.Equal(16, config.GetString("db_password")!.Length);
        foreach (var folder in new[] { "public/files", "private/files", "private/backups" })
            Assert.True(Directory.Exists(Path.Combine(site.Path, folder)), folder);

        // The site's own login works (not root), and holds the core records.
        await using var db = await site.OpenDatabaseAsync();
        var users = (await db.QueryAsync("SELECT name FROM " + db.Dialect.Quote("tabUser") + " ORDER BY name", [])).Select(r => (string)r["name"]!).ToList();
        Assert.Equal(["Administrator", "Guest"], users);
        var roles = (await db.QueryAsync("SELECT name FROM " + db.Dialect.Quote("tabRole"), [])).Select(r => (string)r["name"]!).ToHashSet();
        Assert.Superset(new HashSet<string> { "Administrator", "System Manager", "All", "Guest" }, roles);
        var adminRoles = await db.QueryAsync("SELECT role FROM " + db.Dialect.Quote("tabHas Role") + " WHERE parent = @p0", ["Administrator"]);
        Assert.Contains(adminRoles, r => (string)r["role"]! == "Administrator");
        Assert.True(await UserPasswords.CheckPasswordAsync(db, "Administrator", "admin"));
        Assert.False(await UserPasswords.CheckPasswordAsync(db, "Administrator", "wrong"));
        foreach (var table in new[] { "tabSingles", "tabSeries", "__Auth", "tabSessions", "tabDocType", "tabDocField" })
            Assert.NotEmpty(await db.Dialect.ColumnsAsync(db, table));
    }

    [Fact]
    public async Task MariaDbUserMayConnectFromAnyHost()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.MariaDb);
        var dbName = b.Bench.SiteConfig(site.Name).GetString("db_name");
        await using var root = await Database.OpenAsync(DbConnectionInfo.Server(DbKind.MariaDb, TestServices.MariaDbHost, TestServices.MariaDbPort, TestServices.MariaDbRootUser, TestServices.MariaDbRootPassword, null));
        var hosts = await root.QueryAsync("SELECT Host AS h FROM mysql.user WHERE User = @p0", [dbName]);
        Assert.Equal(["%"], hosts.Select(r => (string)r["h"]!));
    }

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task DropSiteRemovesDatabaseAndArchivesFolder(DbKind kind)
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(kind, setDefault: true);
        var dbName = b.Bench.SiteConfig(site.Name).GetString("db_name")!;
        var args = new List<string> { "drop-site", site.Name };
        if (kind == DbKind.MariaDb)
            args.AddRange(["--db-root-password", TestServices.MariaDbRootPassword]);
        if (kind == DbKind.Postgres)
            args.AddRange(["--db-root-username", TestServices.PostgresRootUser, "--db-root-password", TestServices.PostgresRootPassword]);

        // Uploaded files travel with their site into the archive, as in Frappe.
        await File.WriteAllTextAsync(Path.Combine(site.Path, "public", "files", "logo.txt"), "public bytes");
        await File.WriteAllTextAsync(Path.Combine(site.Path, "private", "files", "contract.txt"), "private bytes");

        var r = await BenchCli.RunAsync(b.Root, [.. args]);

        Assert.True(r.ExitCode == 0, r.Output);
        Assert.False(Directory.Exists(site.Path));
        var archived = Path.Combine(b.Bench.ArchivedSitesPath, site.Name);
        Assert.True(File.Exists(Path.Combine(archived, "site_config.json")));
        Assert.Equal("public bytes", await File.ReadAllTextAsync(Path.Combine(archived, "public", "files", "logo.txt")));
        Assert.Equal("private bytes", await File.ReadAllTextAsync(Path.Combine(archived, "private", "files", "contract.txt")));
        Assert.Null(b.Bench.DefaultSite);
        if (kind != DbKind.Sqlite)
            Assert.False(await TempBench.Admin(kind).DatabaseExistsAsync(dbName));
    }

    [Theory]
    [MemberData(nameof(ServerDatabases))]
    public async Task NewSiteWithCliOnServerDatabase(DbKind kind)
    {
        await using var b = new TempBench();
        var name = TempBench.UniqueSite("cli");
        var r = await BenchCli.RunAsync(b.Root, ["new-site", name, "--admin-password", "pw123", .. ServerArgs(kind)]);
        try
        {
            Assert.True(r.ExitCode == 0, r.Output);
            Assert.Contains($"Site {name} created", r.Stdout);
            Assert.Equal(kind == DbKind.MariaDb ? TestServices.MariaDbPort : TestServices.PostgresPort, b.Bench.SiteConfig(name).GetInt("db_port"));
        }
        finally
        {
            await TempBench.Admin(kind).DropSiteDatabaseAsync(Secrets.DbName(name));
        }
    }

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task ExistingSiteIsLeftAloneWithoutForce(DbKind kind)
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(kind);
        var configPath = Path.Combine(site.Path, "site_config.json");
        var before = File.ReadAllBytes(configPath);

        var ex = await Assert.ThrowsAsync<BenchException>(() => new SiteCreator(b.Bench, _ => { }).CreateAsync(b.Options(site.Name, kind, "other")));

        Assert.Contains("already exists", ex.Message);
        Assert.Equal(before, File.ReadAllBytes(configPath));
        await using var db = await site.OpenDatabaseAsync();
        Assert.True(await UserPasswords.CheckPasswordAsync(db, "Administrator", "admin"));
    }

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task ForceReinstallsTheSite(DbKind kind)
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(kind);
        await new SiteCreator(b.Bench, _ => { }).CreateAsync(b.Options(site.Name, kind, "second") with { Force = true });
        var again = BenchHost.Sites(b.Bench).Find(site.Name)!;
        await using var db = await again.OpenDatabaseAsync();
        Assert.True(await UserPasswords.CheckPasswordAsync(db, "Administrator", "second"));
        Assert.Equal(2, Convert.ToInt32(await db.ScalarAsync("SELECT COUNT(*) FROM " + db.Dialect.Quote("tabUser"), []), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(ServerDatabases))]
    public async Task WrongRootPasswordNamesTheHostAndLeavesNothing(DbKind kind)
    {
        await using var b = new TempBench();
        var name = TempBench.UniqueSite("bad");

        var r = await BenchCli.RunAsync(b.Root, ["new-site", name, "--admin-password", "x", .. ServerArgs(kind, rootPassword: "definitely-wrong")]);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains(kind == DbKind.MariaDb ? $"{TestServices.MariaDbHost}:{TestServices.MariaDbPort}" : $"{TestServices.PostgresHost}:{TestServices.PostgresPort}", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(b.Bench.SitesPath, name)));
        Assert.False(await TempBench.Admin(kind).DatabaseExistsAsync(Secrets.DbName(name)));
    }

    [Theory]
    [MemberData(nameof(ServerDatabases))]
    public async Task UnreachableServerNamesTheHostAndCause(DbKind kind)
    {
        await using var b = new TempBench();
        var name = TempBench.UniqueSite("down");

        var r = await BenchCli.RunAsync(b.Root, ["new-site", name, "--admin-password", "x", .. ServerArgs(kind, port: 1)]);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("127.0.0.1:1", r.Stderr);
        Assert.Contains("Cannot connect", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(b.Bench.SitesPath, name)));
    }

    [Fact]
    public async Task DefaultsToSqliteWithoutDbHost()
    {
        await using var b = new TempBench();
        var name = TempBench.UniqueSite();
        var r = await BenchCli.RunAsync(b.Root, "new-site", name, "--admin-password", "admin", "--set-default");
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Equal("sqlite", b.Bench.SiteConfig(name).GetString("db_type"));
        Assert.Equal(name, b.Bench.DefaultSite);
    }

    [Fact]
    public async Task NewSiteWithoutPasswordAndNoTerminalFailsCleanly()
    {
        await using var b = new TempBench();
        var name = TempBench.UniqueSite();
        var r = await BenchCli.RunAsync(b.Root, "new-site", name);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Administrator password", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(b.Bench.SitesPath, name)));
    }
}
