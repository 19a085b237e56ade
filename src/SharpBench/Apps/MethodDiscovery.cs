using System.Reflection;

namespace SharpBench.Apps;

/// <summary>
/// Registers every static method marked <see cref="WhitelistAttribute"/> or
/// <see cref="FrappeMethodAttribute"/> in the loaded assemblies that reference the framework
/// (the core library and app assemblies), including assemblies loaded later.
/// </summary>
public static class MethodDiscovery
{
    // Process-wide on purpose: which assemblies were scanned is a fact of the process, not of a host.
    private static readonly Lock Gate = new();
    private static readonly HashSet<Assembly> Scanned = [];
    private static bool _hooked;
    private static volatile bool _done;

    public static void EnsureScanned()
    {
        if (_done)
            return;
        lock (Gate)
        {
            if (!_hooked)
            {
                _hooked = true;
                AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Scan(e.LoadedAssembly);
            }
        }
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            Scan(assembly);
        _done = true;
    }

    public static void Scan(Assembly assembly)
    {
        lock (Gate)
        {
            if (!Scanned.Add(assembly) || !ReferencesFramework(assembly))
                return;
        }
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var whitelist = method.GetCustomAttribute<WhitelistAttribute>();
                var plain = method.GetCustomAttribute<FrappeMethodAttribute>();
                if (whitelist is not null)
                    MethodRegistry.Register(MethodBinder.Create(whitelist.Name, method, whitelist));
                if (plain is not null && plain.Name != whitelist?.Name)
                    MethodRegistry.Register(MethodBinder.Create(plain.Name, method, null));
            }
        }
    }

    private static readonly string FrameworkName = typeof(MethodRegistry).Assembly.GetName().Name!;

    private static bool ReferencesFramework(Assembly a) =>
        a == typeof(MethodRegistry).Assembly
        || (!a.IsDynamic && a.GetReferencedAssemblies().Any(r => r.Name == FrameworkName));
}
