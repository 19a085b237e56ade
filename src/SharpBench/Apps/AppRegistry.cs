using SharpBench.Sites;

namespace SharpBench.Apps;

/// <summary>
/// The apps this process knows by name. The core app is always there; others register
/// themselves at start-up (an app assembly calls <see cref="Register"/>). Process-wide on purpose:
/// an app is a type of an assembly loaded into the process; which apps a bench uses is its apps.txt.
/// </summary>
public static class AppRegistry
{
    private static readonly Dictionary<string, App> Known = new(StringComparer.Ordinal) { [FrappeApp.Instance.Name] = FrappeApp.Instance };
    private static readonly Lock Gate = new();

    public static void Register(App app)
    {
        lock (Gate)
            Known[app.Name] = app;
    }

    public static App? Find(string name)
    {
        lock (Gate)
            return Known.GetValueOrDefault(name);
    }

    /// <summary>The bench's apps (sites/apps.txt) that this process can load, core app first.</summary>
    public static IReadOnlyList<App> ForBench(Bench bench) =>
        bench.Apps.Select(Find).Where(a => a is not null).Select(a => a!).ToList();
}
