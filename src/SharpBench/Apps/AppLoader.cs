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
            if (AppRegistry.Find(app) is null)
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
    /// Loads one app assembly (once per path, from an in-memory copy) and registers what it holds;
    /// an assembly without an <see cref="App"/> (a build that compiled no sources, a library put in
    /// the wrong folder) is an <see cref="AppLoadException"/> naming the file.
    /// </summary>
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
            return File.Exists(candidate) ? LoadCopy(context, candidate) : null;
        };
        Assembly assembly;
        try
        {
            assembly = LoadCopy(AssemblyLoadContext.Default, full);
        }
        catch (BadImageFormatException e)
        {
            throw new AppLoadException($"{full} is not a .NET assembly (or was still being written): {e.Message}", e);
        }
        if (Register(assembly) == 0)
            throw new AppLoadException($"{full} holds no app: no public class derived from SharpBench.Apps.App. A build whose output folder is inside the project compiles no sources; build to a folder outside it (docs/jobs.md).");
    }

    /// <summary>Loads the bytes of <paramref name="path"/> (and its .pdb, for stack traces) as read now.</summary>
    private static Assembly LoadCopy(AssemblyLoadContext context, string path)
    {
        using var image = new MemoryStream(File.ReadAllBytes(path));
        var pdbPath = Path.ChangeExtension(path, ".pdb");
        using var pdb = File.Exists(pdbPath) ? new MemoryStream(File.ReadAllBytes(pdbPath)) : null;
        return context.LoadFromStream(image, pdb);
    }

    /// <summary>Registers the apps and attributed methods of an assembly (also used for apps linked at build time); returns how many apps it held.</summary>
    public static int Register(Assembly assembly)
    {
        var apps = 0;
        foreach (var type in assembly.GetExportedTypes())
        {
            if (type.IsSubclassOf(typeof(App)) && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null)
            {
                AppRegistry.Register((App)Activator.CreateInstance(type)!);
                apps++;
            }
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static))
            {
                var name = method.GetCustomAttribute<FrappeMethodAttribute>()?.Name ?? method.GetCustomAttribute<WhitelistAttribute>()?.Name;
                if (name is null || !HasMethodShape(method))
                    continue;
                var invoke = method.CreateDelegate<Func<FrappeContext, JsonObject, CancellationToken, Task<object?>>>();
                MethodRegistry.Register(name, invoke, method.GetCustomAttribute<WhitelistAttribute>());
            }
        }
        return apps;
    }

    private static bool HasMethodShape(MethodInfo m)
    {
        var p = m.GetParameters();
        return m.ReturnType == typeof(Task<object?>) && p.Length == 3
            && p[0].ParameterType == typeof(FrappeContext) && p[1].ParameterType == typeof(JsonObject) && p[2].ParameterType == typeof(CancellationToken);
    }
}
