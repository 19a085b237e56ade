using System.Reflection;
using SharpBench.Model;
using SharpBench.Scheduling;

namespace SharpBench.Apps;

/// <summary>
/// An installable app, as Frappe's: a name, the DocTypes it ships (Frappe's JSON format) and
/// its hooks. Apps are .NET assemblies that reference the framework and derive from this class.
/// </summary>
public abstract class App
{
    public abstract string Name { get; }

    public virtual string Title => Name;

    /// <summary>Modules (Module Def rows) the app owns.</summary>
    public virtual IReadOnlyList<string> Modules => [];

    /// <summary>C# controllers of the app's DocTypes, by DocType name.</summary>
    public virtual IReadOnlyDictionary<string, DocumentController> Controllers { get; } = new Dictionary<string, DocumentController>();

    /// <summary>The app's <c>doc_events</c> hooks (DocType or "*", event, handler).</summary>
    public virtual IReadOnlyList<DocEventHook> DocEvents => [];

    /// <summary>The app's DocType definitions, in install order.</summary>
    public virtual IEnumerable<DocTypeMeta> DocTypes() => [];

    /// <summary>The app's <c>scheduler_events</c> hook: periodic methods by frequency and by cron expression.</summary>
    public virtual SchedulerEvents SchedulerEvents => SchedulerEvents.None;

    /// <summary>
    /// Called once when a host loads the app, after its attributed methods were registered: the
    /// place to register delegates (<see cref="HostState.Methods"/>), process hooks
    /// (<see cref="HostState.DocEvents"/>) and virtual DocTypes (<see cref="HostState.VirtualDocTypes"/>)
    /// into that host's registries, and nowhere else.
    /// </summary>
    public virtual void OnLoad(HostState host)
    {
    }

    /// <summary>Reads every embedded <c>*.json</c> resource of the app's assembly as a DocType.</summary>
    protected static IEnumerable<DocTypeMeta> EmbeddedDocTypes(Assembly assembly, string prefix)
    {
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return DocTypeMeta.Parse(reader.ReadToEnd(), resource);
        }
    }
}
