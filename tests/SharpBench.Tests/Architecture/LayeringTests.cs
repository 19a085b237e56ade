using System.Reflection;
using NetArchTest.Rules;
using SharpBench.Apps;
using SharpBench.Install;
using SharpBench.Sites;

namespace SharpBench.Tests.Architecture;

/// <summary>
/// The library's folders depend one way (README.md, "Layers"): a type may use its own layer and
/// the layers below it, never one above. A dependency that runs back up fails here, naming the
/// type. The back-edges not yet removed are listed in <see cref="KnownBackEdges"/> with the reason;
/// the list may only shrink: an entry that no longer occurs fails too, so it gets deleted.
/// </summary>
public sealed class LayeringTests
{
    private const string Root = "SharpBench";

    /// <summary>Bottom to top; each layer is namespaces (a namespace includes its children) or, in the root namespace, types.</summary>
    public static readonly (string Name, string[] Parts)[] Layers =
    [
        ("Core", [Root + ".*"]),
        ("Data", [Root + ".Data"]),
        ("Sites", [Root + ".Sites"]),
        ("Context", [Root + ".FrappeContext"]),
        ("Metrics", [Root + ".Metrics"]),
        ("Model", [Root + ".Model", Root + ".Apps"]),
        ("Auth", [Root + ".Auth"]),
        ("Realtime", [Root + ".Realtime"]),
        ("Jobs", [Root + ".Jobs"]),
        ("Scheduling", [Root + ".Scheduling"]),
        ("Files", [Root + ".Files"]),
        ("Backups", [Root + ".Backups"]),
        ("Http", [Root + ".Http"]),
        ("Desk", [Root + ".Desk"]),
        ("CoreApp", [Root + ".CoreApp", Root + ".Install"]),
        ("Hosting", [Root + ".Hosting"]),
    ];

    /// <summary>Back-edges not yet removed: "type -> layer it reaches up to", each with why it is still there.</summary>
    private static readonly Dictionary<string, string> KnownBackEdges = new(StringComparer.Ordinal)
    {
    };

    private static readonly Assembly Library = typeof(HostState).Assembly;

    private static IEnumerable<Type> TypesOf(string part)
    {
        var types = Types.InAssembly(Library).GetTypes().Where(t => t.FullName is not null && !t.FullName.StartsWith('<'));
        if (part == Root + ".*")
            return types.Where(t => t.Namespace == Root && !IsContext(t));
        if (part == Root + ".FrappeContext")
            return types.Where(IsContext);
        return types.Where(t => t.Namespace == part || (t.Namespace ?? "").StartsWith(part + ".", StringComparison.Ordinal));
    }

    private static bool IsContext(Type t) => t.Namespace == Root && (t.Name == "FrappeContext" || t.DeclaringType?.Name == "FrappeContext");

    [Fact]
    public void No_dependency_runs_back_up()
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        for (var lower = 0; lower < Layers.Length; lower++)
        {
            var below = Layers[lower];
            var types = below.Parts.SelectMany(TypesOf).Select(t => t.FullName!).ToHashSet(StringComparer.Ordinal);
            if (types.Count == 0)
                continue;
            for (var upper = lower + 1; upper < Layers.Length; upper++)
            {
                var result = Types.InAssembly(Library)
                    .That().MeetCustomRule(new InSet(types))
                    .ShouldNot().HaveDependencyOnAny(Layers[upper].Parts)
                    .GetResult();
                foreach (var name in result.FailingTypeNames ?? [])
                    found.Add(Outer(name) + " -> " + Layers[upper].Name);
            }
        }
        var unexpected = found.Where(f => !KnownBackEdges.ContainsKey(f)).ToList();
        var gone = KnownBackEdges.Keys.Where(k => !found.Contains(k)).ToList();
        Assert.True(unexpected.Count == 0, "Dependencies that run back up (move the type, or the code, down):\n" + string.Join("\n", unexpected));
        Assert.True(gone.Count == 0, "Back-edges that no longer occur (delete them from KnownBackEdges):\n" + string.Join("\n", gone));
    }

    /// <summary>A nested or compiler-made type counts as the top-level type that declares it.</summary>
    private static string Outer(string name)
    {
        var cut = name.IndexOfAny(['/', '+', '<']);
        return (cut < 0 ? name : name[..cut]).TrimEnd('.');
    }

    private sealed class InSet(HashSet<string> names) : ICustomRule
    {
        public bool MeetsRule(Mono.Cecil.TypeDefinition type) => names.Contains(type.FullName.Replace('/', '+'));
    }
}
