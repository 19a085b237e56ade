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
        ["SharpBench.Auth.AuthMethods -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Auth.AuthMethods -> Http"] = "password login reads the request's form_dict; HTTP login moves to Http",
        ["SharpBench.Auth.LoginLock -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Auth.LoginManager -> Http"] = "password login reads the request's form_dict; HTTP login moves to Http",
        ["SharpBench.Auth.RequestAuth -> Http"] = "password login reads the request's form_dict; HTTP login moves to Http",
        ["SharpBench.Auth.SessionStore -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Backups.ScheduledBackup -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Desk.FormLoad -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Desk.ScheduledJobRuns -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Desk.SearchMethods -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Files.FileMethods -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Files.FileMethods -> Http"] = "the file endpoints sit beside the File storage; the endpoints move to Http",
        ["SharpBench.Files.FileWriter -> Http"] = "the file endpoints sit beside the File storage; the endpoints move to Http",
        ["SharpBench.Files.FilesModule -> Http"] = "the file endpoints sit beside the File storage; the endpoints move to Http",
        ["SharpBench.Files.UploadMethods -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Files.UploadMethods -> Http"] = "the file endpoints sit beside the File storage; the endpoints move to Http",
        ["SharpBench.Http.ClientMethods -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Http.DocMethodCall -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Http.MethodEndpoint -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Http.RunDocMethod -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Http.V2DocTypes -> Desk"] = "v2's doctype meta answers with the desk's getdoctype shaping (Desk/FormLoad); that shaping moves down to Model",
        ["SharpBench.Http.V2Methods -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Http.WebServer -> Apps"] = "the web server composes the modules and the host's services; it moves to Hosting",
        ["SharpBench.Http.WebServer -> Desk"] = "the web server composes the modules and the host's services; it moves to Hosting",
        ["SharpBench.Jobs.BackgroundJobs -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Jobs.DocumentMethods -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Jobs.JobExecutor -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Jobs.JobsSetup -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Jobs.WorkerService -> Hosting"] = "the worker role reports its failure through Hosting's RoleFailures",
        ["SharpBench.Model.CoreDocMethods -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Model.DocEvents -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Model.DocMethod -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Model.DocMethods -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Model.DocTypeRows -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Model.Meta -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Model.MetaCache -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Model.SiteTime -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Model.VirtualDocTypes -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Realtime.Frappe.UserInfoMethod -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Realtime.Frappe.UserInfoMethod -> Http"] = "frappe.realtime.get_user_info answers through the HTTP envelope; the realtime methods move up beside the other whitelisted methods",
        ["SharpBench.Realtime.Publishing.RealtimeBridges -> Jobs"] = "the bridge shares the queue's Redis login (QueueSettings, RedisConnections)",
        ["SharpBench.Realtime.RealtimeHosting -> Http"] = "the standalone realtime role reuses the web server's host options",
        ["SharpBench.Scheduling.ScheduledJobRunner -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Scheduling.ScheduledJobSync -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Scheduling.SchedulerSetup -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Scheduling.SchedulingMethods -> Apps"] = "HostState, MethodRegistry and the [Whitelist]/[FrappeMethod] attributes live in Apps; they move below Model",
        ["SharpBench.Sites.Site -> Apps"] = "a Site carries its host's HostState (Apps); HostState moves down as a per-host container",
        ["SharpBench.Sites.SiteCreator -> Apps"] = "new-site and migrate drive every layer; they move up beside install-app (issue 15)",
        ["SharpBench.Sites.SiteCreator -> Context"] = "new-site and migrate drive every layer; they move up beside install-app (issue 15)",
        ["SharpBench.Sites.SiteCreator -> Scheduling"] = "new-site and migrate drive every layer; they move up beside install-app (issue 15)",
        ["SharpBench.Sites.SiteInstaller -> Apps"] = "new-site and migrate drive every layer; they move up beside install-app (issue 15)",
        ["SharpBench.Sites.SiteInstaller -> Model"] = "new-site and migrate drive every layer; they move up beside install-app (issue 15)",
        ["SharpBench.Sites.SiteMigration -> Apps"] = "new-site and migrate drive every layer; they move up beside install-app (issue 15)",
        ["SharpBench.Sites.SiteMigration -> Context"] = "new-site and migrate drive every layer; they move up beside install-app (issue 15)",
        ["SharpBench.Sites.SiteMigration -> Model"] = "new-site and migrate drive every layer; they move up beside install-app (issue 15)",
        ["SharpBench.Sites.SiteMigration -> Realtime"] = "new-site and migrate drive every layer; they move up beside install-app (issue 15)",
        ["SharpBench.Sites.SiteMigration -> Scheduling"] = "new-site and migrate drive every layer; they move up beside install-app (issue 15)",
        ["SharpBench.Sites.SiteRegistry -> Apps"] = "a Site carries its host's HostState (Apps); HostState moves down as a per-host container",
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
