using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;

namespace SharpBench.Apps;

/// <summary>A callable by dotted name: the C# replacement of Frappe's import-by-path.</summary>
/// <param name="Name">Dotted name, e.g. <c>frappe.client.get_list</c>.</param>
/// <param name="Invoke">Runs the method with keyword arguments (a JSON object) in a context.</param>
/// <param name="Whitelist">Set when the method may be called over HTTP.</param>
public sealed record FrappeMethod(string Name, Func<FrappeContext, JsonObject, CancellationToken, Task<object?>> Invoke, WhitelistAttribute? Whitelist);

/// <summary>
/// The methods one host exposes to HTTP, jobs, hooks and the scheduler, looked up by dotted name:
/// the core app's, those of the apps the host loaded (see <see cref="AppRegistry"/>), and the
/// attributed methods of the program's own assemblies (<see cref="MethodDiscovery.ProgramMethods"/>).
/// One per host (<c>host.Methods</c>), so two benches in one process never call each
/// other's apps.
/// </summary>
public sealed class MethodRegistry
{
    private readonly ConcurrentDictionary<string, FrappeMethod> _methods = new(StringComparer.Ordinal);

    public void Register(FrappeMethod method) => _methods[method.Name] = method;

    public void Register(string name, Func<FrappeContext, JsonObject, CancellationToken, Task<object?>> invoke, WhitelistAttribute? whitelist = null) =>
        Register(new FrappeMethod(name, invoke, whitelist));

    /// <summary>Registers the methods of an assembly marked <see cref="WhitelistAttribute"/> or <see cref="FrappeMethodAttribute"/>.</summary>
    public void RegisterAssembly(Assembly assembly)
    {
        foreach (var method in MethodDiscovery.MethodsOf(assembly))
            Register(method);
    }

    /// <summary>The method of that name: the host's own first, then the program's.</summary>
    public FrappeMethod? Find(string name) =>
        _methods.GetValueOrDefault(name) ?? MethodDiscovery.ProgramMethods().GetValueOrDefault(name);

    public IEnumerable<FrappeMethod> All =>
        _methods.Values.Concat(MethodDiscovery.ProgramMethods().Values.Where(m => !_methods.ContainsKey(m.Name)));
}
