using SharpBench.Apps;
using SharpBench.Model;
using SharpBench.Scheduling;
using SharpBench.Sites;

namespace SharpBench.CoreApp;

/// <summary>The core app every site has, named <c>frappe</c> as in Frappe.</summary>
public sealed class FrappeApp : App
{
    public static readonly FrappeApp Instance = new();

    public override string Name => "frappe";

    public override string Title => "Frappe Framework";

    public override IReadOnlyList<string> Modules => ["Core", "Desk", "Custom", "Automation"];

    public override IEnumerable<DocTypeMeta> DocTypes() => CoreDocTypes.All;

    public override IReadOnlyDictionary<string, DocumentController> Controllers { get; } = new Dictionary<string, DocumentController>(StringComparer.Ordinal)
    {
        ["DocType"] = new DocTypeController(),
        ["User"] = new UserController(),
        ["File"] = new FileController(),
        ["Role"] = new RoleController(),
    };

    public override SchedulerEvents SchedulerEvents => SchedulingMethods.CoreEvents;

    /// <summary>The framework's own delegate methods, the jobs capability's virtual DocTypes and Frappe's <c>notify_update</c> hook, in every host.</summary>
    public override void OnLoad(HostState host)
    {
        SchedulingMethods.Register(host.Methods);
        Backups.ScheduledBackup.Register(host.Methods);
        Jobs.JobsSetup.Register(host);
        Realtime.RealtimeDocEvents.Register(host.DocEvents);
    }
}
