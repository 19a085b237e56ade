using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SharpBench.Apps;

/// <summary>A callable by dotted name: the C# replacement of Frappe's import-by-path.</summary>
/// <param name="Name">Dotted name, e.g. <c>frappe.client.get_list</c>.</param>
/// <param name="Invoke">Runs the method with keyword arguments (a JSON object) in a context.</param>
/// <param name="Whitelist">Set when the method may be called over HTTP.</param>
public sealed record FrappeMethod(string Name, Func<FrappeContext, JsonObject, CancellationToken, Task<object?>> Invoke, WhitelistAttribute? Whitelist);

/// <summary>
/// Every method an app exposes to HTTP, jobs, hooks and the scheduler, looked up by dotted name.
/// Apps register delegates directly or through <see cref="WhitelistAttribute"/> / <see cref="FrappeMethodAttribute"/>.
/// Process-wide on purpose: methods are code of the assemblies loaded into the process, and an
/// assembly loads once per process whichever host asked for it.
/// </summary>
public static class MethodRegistry
{
    private static readonly ConcurrentDictionary<string, FrappeMethod> Methods = new(StringComparer.Ordinal);

    // The core app's delegate-registered methods, registered on the first look-up (not by whichever
    // static constructor ran first).
    private static readonly Lazy<bool> CoreRegistered = new(() =>
    {
        Scheduling.SchedulingMethods.Register();
        return true;
    });

    public static void Register(FrappeMethod method) => Methods[method.Name] = method;

    public static void Register(string name, Func<FrappeContext, JsonObject, CancellationToken, Task<object?>> invoke, WhitelistAttribute? whitelist = null) =>
        Register(new FrappeMethod(name, invoke, whitelist));

    public static FrappeMethod? Find(string name)
    {
        _ = CoreRegistered.Value;
        MethodDiscovery.EnsureScanned();
        return Methods.GetValueOrDefault(name);
    }

    public static IEnumerable<FrappeMethod> All
    {
        get
        {
            _ = CoreRegistered.Value;
            MethodDiscovery.EnsureScanned();
            return Methods.Values;
        }
    }
}
