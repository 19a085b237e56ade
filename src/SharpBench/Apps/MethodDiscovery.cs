using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;

namespace SharpBench.Apps;

/// <summary>
/// Finds the static methods marked <see cref="WhitelistAttribute"/> or <see cref="FrappeMethodAttribute"/>
/// in an assembly. An app's assembly (one that defines an <see cref="App"/>) and the framework's
/// reach a host only through the apps it loads (<see cref="MethodRegistry.RegisterAssembly"/>);
/// the program's other assemblies that reference the framework (a host program's own methods,
/// a test assembly) belong to every host of the program (<see cref="ProgramMethods"/>).
/// </summary>
public static class MethodDiscovery
{
    // Process-wide on purpose: what an assembly declares is a fact of its code, and it loads once per process.
    private static readonly ConcurrentDictionary<Assembly, IReadOnlyList<FrappeMethod>> Declared = new();
    private static readonly Lock Gate = new();
    private static readonly ConcurrentDictionary<string, FrappeMethod> Program = new(StringComparer.Ordinal);
    private static readonly HashSet<Assembly> Scanned = [];
    private static readonly Lazy<bool> Hooked = new(() =>
    {
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => ScanProgram(e.LoadedAssembly);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            ScanProgram(assembly);
        return true;
    });

    private static readonly string FrameworkName = typeof(MethodRegistry).Assembly.GetName().Name!;

    /// <summary>The attributed methods of <paramref name="assembly"/>, bound once per process.</summary>
    public static IReadOnlyList<FrappeMethod> MethodsOf(Assembly assembly) => Declared.GetOrAdd(assembly, Discover);

    /// <summary>The attributed methods of the program's assemblies that are neither the framework nor an app, including assemblies loaded later.</summary>
    internal static IReadOnlyDictionary<string, FrappeMethod> ProgramMethods()
    {
        _ = Hooked.Value;
        return Program;
    }

    private static void ScanProgram(Assembly assembly)
    {
        lock (Gate)
        {
            if (!Scanned.Add(assembly))
                return;
        }
        if (assembly.IsDynamic || assembly == typeof(MethodRegistry).Assembly || !ReferencesFramework(assembly) || AppLoader.DefinesApp(assembly))
            return;
        foreach (var method in MethodsOf(assembly))
            Program[method.Name] = method;
    }

    private static IReadOnlyList<FrappeMethod> Discover(Assembly assembly)
    {
        var found = new Dictionary<string, FrappeMethod>(StringComparer.Ordinal);
        foreach (var type in TypesOf(assembly))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var whitelist = method.GetCustomAttribute<WhitelistAttribute>();
                var plain = method.GetCustomAttribute<FrappeMethodAttribute>();
                if (whitelist is not null)
                    found[whitelist.Name] = MethodBinder.Create(whitelist.Name, method, whitelist);
                if (plain is not null && plain.Name != whitelist?.Name)
                    found[plain.Name] = MethodBinder.Create(plain.Name, method, null);
            }
        }
        // An app's public methods of the exact shape are called directly, without the binder (as apps were always loaded).
        if (assembly != typeof(MethodRegistry).Assembly && AppLoader.DefinesApp(assembly))
        {
            foreach (var type in assembly.GetExportedTypes())
            {
                foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static))
                {
                    var name = method.GetCustomAttribute<FrappeMethodAttribute>()?.Name ?? method.GetCustomAttribute<WhitelistAttribute>()?.Name;
                    if (name is null || !HasMethodShape(method))
                        continue;
                    found[name] = new FrappeMethod(name, method.CreateDelegate<Func<FrappeContext, JsonObject, CancellationToken, Task<object?>>>(),
                        method.GetCustomAttribute<WhitelistAttribute>());
                }
            }
        }
        return found.Values.ToList();
    }

    private static Type[] TypesOf(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.Where(t => t is not null).ToArray()!;
        }
    }

    private static bool HasMethodShape(MethodInfo m)
    {
        var p = m.GetParameters();
        return m.ReturnType == typeof(Task<object?>) && p.Length == 3
            && p[0].ParameterType == typeof(FrappeContext) && p[1].ParameterType == typeof(JsonObject) && p[2].ParameterType == typeof(CancellationToken);
    }

    private static bool ReferencesFramework(Assembly a) =>
        a.GetReferencedAssemblies().Any(r => r.Name == FrameworkName);
}
