using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Install;
using SharpBench.Sites;

namespace SharpBench.Tests.Support;

/// <summary>A throwaway bench folder; sites made on a database server are dropped on dispose.</summary>
public sealed class TempBench : IAsyncDisposable
{
    private readonly List<string> _serverSites = [];

    public TempBench()
    {
        Root = Path.Combine(Path.GetTempPath(), "sb-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        Bench = new Bench(Root);
        Bench.EnsureLayout();
    }

    public string Root { get; }
    public Bench Bench { get; }

    /// <summary>A site name unique to this run, so tests sharing a database server never collide.</summary>
    public static string UniqueSite(string prefix = "t") => $"{prefix}{Guid.NewGuid().ToString("N")[..10]}.localhost";

    public NewSiteOptions Options(string site, DbKind kind, string adminPassword = "admin") => TestServices.SiteOptions(site, kind, adminPassword);

    public async Task<Site> CreateSiteAsync(DbKind kind, string? name = null, bool setDefault = false)
    {
        name ??= UniqueSite();
        await new SiteCreator(Bench, _ => { }).CreateAsync(Options(name, kind) with { SetDefault = setDefault });
        if (kind != DbKind.Sqlite)
            _serverSites.Add(name);
        return BenchHost.Sites(Bench).Find(name)!;
    }

    public static DbAdmin Admin(DbKind kind) => kind == DbKind.MariaDb
        ? new DbAdmin(kind, TestServices.MariaDbHost, TestServices.MariaDbPort, TestServices.MariaDbRootUser, TestServices.MariaDbRootPassword)
        : new DbAdmin(kind, TestServices.PostgresHost, TestServices.PostgresPort, TestServices.PostgresRootUser, TestServices.PostgresRootPassword);

    public async ValueTask DisposeAsync()
    {
        foreach (var site in _serverSites)
        {
            try
            {
                var config = Bench.SiteConfig(site);
                var kind = DbKinds.Parse(config.GetString("db_type"));
                await Admin(kind).DropSiteDatabaseAsync(config.GetString("db_name")!);
            }
            catch (BenchException)
            {
                // already dropped by the test itself
            }
        }
        Database.ClearPool(Root);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
