using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Install;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Model;

/// <summary>
/// One throwaway site per database (SQLite, MariaDB, PostgreSQL) shared by the model and query
/// tests, created on the running test servers (tests/services). Tests make their own DocTypes
/// and documents with unique names, so they do not depend on each other.
/// </summary>
public sealed class ModelSites : IAsyncLifetime
{
    private readonly Dictionary<DbKind, Site> _sites = [];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sb-model-" + Guid.NewGuid().ToString("N")[..8]);
    private Bench? _bench;

    public async ValueTask InitializeAsync()
    {
        _bench = new Bench(_root);
        _bench.EnsureLayout();
        var creator = new SiteCreator(_bench, _ => { });
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await Task.WhenAll(
            CreateAsync(creator, DbKind.Sqlite, $"lite-{suffix}.test"),
            CreateAsync(creator, DbKind.MariaDb, $"maria-{suffix}.test"),
            CreateAsync(creator, DbKind.Postgres, $"pg-{suffix}.test"));
    }

    private async Task CreateAsync(SiteCreator creator, DbKind kind, string name)
    {
        var options = TestServices.SiteOptions(name, kind, "admin-pass");
        await creator.CreateAsync(options);
        var site = BenchHost.Sites(_bench!).Find(name) ?? throw new InvalidOperationException($"site {name} was not created");
        lock (_sites)
            _sites[kind] = site;
    }

    public Site Site(DbKind kind) => _sites[kind];

    public Bench Bench => _bench!;

    /// <summary>A unit of work on a site as a user; dispose rolls back what was not committed.</summary>
    public FrappeContext Context(DbKind kind, string user = "Administrator") => new(Site(kind), user);

    public static TheoryData<DbKind> Kinds => new(DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres);

    public async ValueTask DisposeAsync()
    {
        var creator = new SiteCreator(_bench!, _ => { });
        foreach (var (kind, site) in _sites)
        {
            try
            {
                var (user, password) = kind == DbKind.MariaDb
                    ? (TestServices.MariaDbRootUser, TestServices.MariaDbRootPassword)
                    : (TestServices.PostgresRootUser, TestServices.PostgresRootPassword);
                await creator.DropAsync(site.Name, user, password, force: true);
            }
            catch (BenchException)
            {
                // Best effort: a leftover test database does no harm to later runs (names are unique).
            }
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ModelSitesCollection : ICollectionFixture<ModelSites>
{
    public const string Name = "model-sites";
}
