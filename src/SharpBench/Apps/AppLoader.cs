using System.Reflection;
using System.Runtime.Loader;
using SharpBench.Sites;

namespace SharpBench.Apps;

/// <summary>
/// Loads the bench's apps into this process, so every role (web, worker, scheduler, CLI) knows the
/// same DocTypes and methods. An app named in <c>sites/apps.txt</c> is the assembly
/// <c>apps/&lt;app&gt;/&lt;app&gt;.dll</c> (or <c>apps/&lt;app&gt;/bin/&lt;app&gt;.dll</c>); its dependencies sit
/// beside it. An assembly loads once per process; each host then makes its own instance of each
/// public non-abstract <see cref="App"/> subclass in it (<see cref="AppRegistry"/>), whose
/// attributed methods (<see cref="FrappeMethodAttribute"/>, <see cref="WhitelistAttribute"/>) and
/// <see cref="App.OnLoad"/> registrations go into that host's registries only.
/// <para>
/// Assemblies are read into memory and loaded from that copy, never mapped from their file: a
/// rebuild that overwrites <c>apps/&lt;app&gt;/&lt;app&gt;.dll</c> in place would otherwise change the
/// pages a running role executes (a <see cref="BadImageFormatException"/> or worse). A running
/// process keeps the build it started with; the next start reads the new one. So an app's
/// <see cref="Assembly.Location"/> is empty: apps find their files through the bench, not beside
/// their assembly.
/// </para>
/// </summary>
public static class AppLoader
{
    // Process-wide on purpose: an assembly loads into the process once, whichever host asked for it.
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);

    /// <summary>
    /// Loads the assembly of every app of the bench; returns the names of apps whose assembly is
    /// missing. An assembly that holds no app of the name apps.txt gives is an <see cref="AppLoadException"/>.
    /// </summary>
    public static IReadOnlyList<string> LoadBenchApps(Bench bench)
    {
        var missing = new List<string>();
        foreach (var app in bench.Apps)
        {
            if (app == Bench.CoreApp)
                continue;
            var path = AssemblyPath(bench, app);
            if (path is null)
            {
                missing.Add(app);
                continue;
            }
            var assembly = LoadAssembly(path);
            if (!Create(assembly).Any(a => a.Name == app))
                throw new AppLoadException($"{path} holds no app named '{app}': its App subclass must return \"{app}\" as Name.");
        }
        return missing;
    }

    public static string? AssemblyPath(Bench bench, string app)
    {
        // App names are Python-style identifiers in Frappe; anything else never names a folder here.
        if (app.Length == 0 || app.Length > 100 || !app.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') || !char.IsAsciiLetterLower(app[0]))
            return null;
        foreach (var candidate in new[] { Path.Combine(bench.Root, "apps", app, app + ".dll"), Path.Combine(bench.Root, "apps", app, "bin", app + ".dll") })
        {
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>
    /// Loads one app assembly (once per path, from an in-memory copy); an assembly without an
    /// <see cref="App"/> (a build that compiled no sources, a library put in the wrong folder) is an
    /// <see cref="AppLoadException"/> naming the file. An assembly of the same name the program
    /// already holds (an app linked at build time, as tests do) is that one.
    /// </summary>
    public static Assembly LoadAssembly(string path)
    {
        var full = Path.GetFullPath(path);
        lock (Gate)
        {
            if (Loaded.TryGetValue(full, out var done))
                return done;
            var folder = Path.GetDirectoryName(full)!;
            var simpleName = Path.GetFileNameWithoutExtension(full);
            var assembly = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => a.GetName().Name == simpleName);
            if (assembly is null)
            {
                // Dependencies the app ships beside itself; the framework's own assemblies are already
                // loaded in this context, so the app binds to the same SharpBench types as the host.
                AssemblyLoadContext.Default.Resolving += (context, name) =>
                {
                    var candidate = Path.Combine(folder, name.Name + ".dll");
                    return File.Exists(candidate) ? LoadCopy(context, candidate) : null;
                };
                try
                {
                    assembly = LoadCopy(AssemblyLoadContext.Default, full);
                }
                catch (BadImageFormatException e)
                {
                    throw new AppLoadException($"{full} is not a .NET assembly (or was still being written): {e.Message}", e);
                }
            }
            if (!DefinesApp(assembly))
                throw new AppLoadException($"{full} holds no app: no public class derived from SharpBench.Apps.App. A build whose output folder is inside the project compiles no sources; build to a folder outside it (docs/jobs.md).");
            Loaded[full] = assembly;
            return assembly;
        }
    }

    /// <summary>Loads the bytes of <paramref name="path"/> (and its .pdb, for stack traces) as read now.</summary>
    private static Assembly LoadCopy(AssemblyLoadContext context, string path)
    {
        using var image = new MemoryStream(File.ReadAllBytes(path));
        var pdbPath = Path.ChangeExtension(path, ".pdb");
        using var pdb = File.Exists(pdbPath) ? new MemoryStream(File.ReadAllBytes(pdbPath)) : null;
        return context.LoadFromStream(image, pdb);
    }

    /// <summary>Whether the assembly holds an app: a public non-abstract <see cref="App"/> subclass with a parameterless constructor.</summary>
    public static bool DefinesApp(Assembly assembly) => AppTypes(assembly).Any();

    /// <summary>A new instance of each app the assembly holds (each host has its own).</summary>
    public static IReadOnlyList<App> Create(Assembly assembly) =>
        AppTypes(assembly).Select(t => (App)Activator.CreateInstance(t)!).ToList();

    private static IEnumerable<Type> AppTypes(Assembly assembly)
    {
        Type[] exported;
        try
        {
            exported = assembly.IsDynamic ? [] : assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException)
        {
            return [];
        }
        return exported.Where(t => t.IsSubclassOf(typeof(App)) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null);
    }
}
