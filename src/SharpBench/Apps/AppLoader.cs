using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using SharpBench.Sites;

namespace SharpBench.Apps;

/// <summary>
/// Loads the bench's apps into this process, so every role (web, worker, scheduler, CLI) knows the
/// same DocTypes and methods. An app named in <c>sites/apps.txt</c> is the assembly
/// <c>apps/&lt;app&gt;/&lt;app&gt;.dll</c> (or <c>apps/&lt;app&gt;/bin/&lt;app&gt;.dll</c>); its dependencies sit
/// beside it. Each public non-abstract <see cref="App"/> subclass in it is created and registered
/// (its constructor may register methods), and each public static method marked
/// <see cref="FrappeMethodAttribute"/> or <see cref="WhitelistAttribute"/> with the method shape
/// <c>Task&lt;object?&gt; M(FrappeContext, JsonObject, CancellationToken)</c> goes into the <see cref="MethodRegistry"/>.
/// </summary>
public static class AppLoader
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Loaded = new(StringComparer.Ordinal);

    /// <summary>Loads every app of the bench not loaded yet; returns the names of apps whose assembly is missing.</summary>
    public static IReadOnlyList<string> LoadBenchApps(Bench bench)
    {
        var missing = new List<string>();
        foreach (var app in bench.Apps)
        {
            if (AppRegistry.Find(app) is not null)
                continue;
            var path = AssemblyPath(bench, app);
            if (path is null)
            {
                missing.Add(app);
                continue;
            }
            LoadAssembly(path);
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

    /// <summary>Loads one app assembly (once per path) and registers what it holds.</summary>
    public static void LoadAssembly(string path)
    {
        var full = Path.GetFullPath(path);
        lock (Gate)
        {
            if (!Loaded.Add(full))
                return;
        }
        var folder = Path.GetDirectoryName(full)!;
        // Dependencies the app ships beside itself; the framework's own assemblies are already
        // loaded in this context, so the app binds to the same SharpBench types as the host.
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
        Register(assembly);
    }

    /// <summary>Registers the apps and attributed methods of an assembly (also used for apps linked at build time).</summary>
    public static void Register(Assembly assembly)
    {
        foreach (var type in assembly.GetExportedTypes())
        {
            if (type.IsSubclassOf(typeof(App)) && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null)
                AppRegistry.Register((App)Activator.CreateInstance(type)!);
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static))
            {
                var name = method.GetCustomAttribute<FrappeMethodAttribute>()?.Name ?? method.GetCustomAttribute<WhitelistAttribute>()?.Name;
                if (name is null || !HasMethodShape(method))
                    continue;
                var invoke = method.CreateDelegate<Func<FrappeContext, JsonObject, CancellationToken, Task<object?>>>();
                MethodRegistry.Register(name, invoke, method.GetCustomAttribute<WhitelistAttribute>());
            }
        }
    }

    private static bool HasMethodShape(MethodInfo m)
    {
        var p = m.GetParameters();
        return m.ReturnType == typeof(Task<object?>) && p.Length == 3
            && p[0].ParameterType == typeof(FrappeContext) && p[1].ParameterType == typeof(JsonObject) && p[2].ParameterType == typeof(CancellationToken);
    }
}
