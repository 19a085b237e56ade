using SharpBench.Sites;

namespace SharpBench.Apps;

/// <summary>
/// The apps one host knows by name: the core app, then the bench's apps (sites/apps.txt) whose
/// assemblies <see cref="AppLoader"/> loaded. Registering an app puts its attributed methods into
/// the host's <see cref="MethodRegistry"/> and runs its <see cref="App.OnLoad"/>, so what an app
/// declares reaches only the hosts that load it. One per host (<c>host.Apps</c>); the core app and the
/// bench's apps are registered by <c>BenchHost.Load</c> (CoreApp).
/// </summary>
public sealed class AppRegistry
{
    private readonly HostState _host;
    private readonly Dictionary<string, App> _known = new(StringComparer.Ordinal);
    private readonly List<App> _order = [];
    private readonly Lock _gate = new();

    internal AppRegistry(HostState host) => _host = host;

    /// <summary>Adds an app to this host: its methods, hooks and virtual DocTypes register into the host's registries.</summary>
    public void Register(App app)
    {
        lock (_gate)
        {
            if (_known.TryGetValue(app.Name, out var known) && ReferenceEquals(known, app))
                return;
            _known[app.Name] = app;
            _order.RemoveAll(a => a.Name == app.Name);
            _order.Add(app);
        }
        _host.Methods.RegisterAssembly(app.GetType().Assembly);
        app.OnLoad(_host);
    }

    public App? Find(string name)
    {
        lock (_gate)
            return _known.GetValueOrDefault(name);
    }

    /// <summary>Every app of this host, core app first, in the order they were registered.</summary>
    public IReadOnlyList<App> All
    {
        get
        {
            lock (_gate)
                return _order.ToList();
        }
    }

    /// <summary>
    /// Registers every app of the bench (sites/apps.txt) whose assembly is under apps/; returns the
    /// names of apps whose assembly is missing. Throws <see cref="AppLoadException"/> for an app that cannot load.
    /// </summary>
    public IReadOnlyList<string> LoadBenchApps(Bench bench)
    {
        var missing = AppLoader.LoadBenchApps(bench);
        foreach (var name in bench.Apps)
        {
            if (Find(name) is not null || AppLoader.AssemblyPath(bench, name) is not { } path)
                continue;
            foreach (var app in AppLoader.Create(AppLoader.LoadAssembly(path)))
            {
                if (Find(app.Name) is null)
                    Register(app);
            }
        }
        return missing;
    }

    /// <summary>The bench's apps (sites/apps.txt) that this host loaded, core app first.</summary>
    public IReadOnlyList<App> ForBench(Bench bench) =>
        bench.Apps.Select(Find).Where(a => a is not null).Select(a => a!).ToList();
}
