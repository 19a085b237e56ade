using System.Reflection;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Apps;

/// <summary>
/// An installable app, as Frappe's: a name, the DocTypes it ships (Frappe's JSON format) and
/// its hooks. Apps are .NET assemblies that reference the framework and derive from this class.
/// </summary>
public abstract class App
{
    public abstract string Name { get; }

    public virtual string Title => Name;

    /// <summary>The app's version (shown by <c>list-apps</c>): its assembly's informational version.</summary>
    public virtual string Version =>
        GetType().Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Modules (Module Def rows) the app owns: by default those its DocTypes name.</summary>
    public virtual IReadOnlyList<string> Modules =>
        DocTypes().Select(m => m.Module).Where(m => !string.IsNullOrEmpty(m)).Select(m => m!).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>C# controllers of the app's DocTypes, by DocType name.</summary>
    public virtual IReadOnlyDictionary<string, DocumentController> Controllers { get; } = new Dictionary<string, DocumentController>();

    /// <summary>The app's <c>doc_events</c> hooks (DocType or "*", event, handler).</summary>
    public virtual IReadOnlyList<DocEventHook> DocEvents => [];

    /// <summary>
    /// The app's DocType definitions, in install order: by default every
    /// <c>&lt;module&gt;/doctype/&lt;name&gt;/&lt;name&gt;.json</c> the app's project embeds (see <see cref="DocTypeResourcePrefix"/>).
    /// </summary>
    public virtual IEnumerable<DocTypeMeta> DocTypes() => _embedded ??= AppDocTypes(GetType().Assembly).ToList();

    private IReadOnlyList<DocTypeMeta>? _embedded;

    /// <summary>The text of the app's <c>patches.txt</c> (embedded as the resource <c>patches.txt</c>), or null.</summary>
    public virtual string? PatchesText => ReadResource(GetType().Assembly, "patches.txt");

    /// <summary>Frappe's <c>after_install</c> hook: runs once when the app is installed on a site (committed with it).</summary>
    public virtual Task AfterInstallAsync(FrappeContext context, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Frappe's <c>after_migrate</c> hook: runs at the end of every <c>bench migrate</c> of a site that has the app.</summary>
    public virtual Task AfterMigrateAsync(FrappeContext context, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Frappe's <c>before_uninstall</c> hook: runs before <c>uninstall-app</c> drops the app's DocTypes.</summary>
    public virtual Task BeforeUninstallAsync(FrappeContext context, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Where an app project embeds its DocType JSON: <c>&lt;EmbeddedResource Include="*/doctype/*/*.json"
    /// LogicalName="doctype/%(RecursiveDir)%(Filename)%(Extension)" /&gt;</c> (what <c>bench new-app</c> writes).
    /// </summary>
    public const string DocTypeResourcePrefix = "doctype/";

    /// <summary>The DocTypes an app assembly embeds in Frappe's layout; a bad file is an error naming it and the field.</summary>
    protected static IEnumerable<DocTypeMeta> AppDocTypes(Assembly assembly)
    {
        foreach (var resource in assembly.GetManifestResourceNames().Where(IsDocTypeResource).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return DocTypeMeta.Parse(reader.ReadToEnd(), resource[DocTypeResourcePrefix.Length..]);
        }
    }

    /// <summary><c>doctype/&lt;module&gt;/doctype/&lt;name&gt;/&lt;name&gt;.json</c>: other JSON beside a DocType is not one.</summary>
    private static bool IsDocTypeResource(string resource)
    {
        if (!resource.StartsWith(DocTypeResourcePrefix, StringComparison.Ordinal))
            return false;
        var parts = resource[DocTypeResourcePrefix.Length..].Split('/');
        return parts.Length == 4 && parts[1] == "doctype" && parts[3] == parts[2] + ".json";
    }

    private static string? ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name);
        if (stream is null)
            return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The app's <c>scheduler_events</c> hook: periodic methods by frequency and by cron expression.</summary>
    public virtual SchedulerEvents SchedulerEvents => SchedulerEvents.None;

    /// <summary>
    /// Called once when a host loads the app, after its attributed methods were registered: the
    /// place to register delegates (<c>host.Methods</c>), process hooks
    /// (<c>host.DocEvents</c>) and virtual DocTypes (<c>host.VirtualDocTypes</c>)
    /// into that host's registries, and nowhere else.
    /// </summary>
    public virtual void OnLoad(HostState host)
    {
    }

    /// <summary>Reads every embedded <c>*.json</c> resource of the app's assembly as a DocType.</summary>
    protected internal static IEnumerable<DocTypeMeta> EmbeddedDocTypes(Assembly assembly, string prefix)
    {
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return DocTypeMeta.Parse(reader.ReadToEnd(), resource);
        }
    }
}
