using System.Collections.Concurrent;
using SharpBench.Sites;

namespace SharpBench.Model;

/// <summary>A document event handler (Frappe's <c>doc_events</c> hook).</summary>
public delegate Task DocEventCallback(FrappeContext ctx, Document doc, string eventName, CancellationToken ct);

/// <summary>An app's <c>doc_events</c> entry: a DocType (or "*" for all) and event name.</summary>
public sealed record DocEventHook(string DocType, string Event, DocEventCallback Handler);

/// <summary>
/// Controllers per DocType and <c>doc_events</c> hooks. For each event the controller runs first,
/// then hooks for the DocType, then hooks for "*" (in registration order), as in Frappe. Apps
/// declare theirs in <c>App.DocEvents</c>/<c>App.Controllers</c>, active on benches that install
/// them; code registers more into its host's <see cref="DocEventRegistry"/> (realtime hooks "*"
/// <c>on_change</c>/<c>after_delete</c> there and publishes after commit).
/// </summary>
public static class DocEvents
{
    public const string BeforeInsert = "before_insert";
    public const string Validate = "validate";
    public const string BeforeSave = "before_save";
    public const string AfterInsert = "after_insert";
    public const string OnUpdate = "on_update";
    public const string BeforeSubmit = "before_submit";
    public const string OnSubmit = "on_submit";
    public const string BeforeCancel = "before_cancel";
    public const string OnCancel = "on_cancel";
    public const string BeforeUpdateAfterSubmit = "before_update_after_submit";
    public const string OnUpdateAfterSubmit = "on_update_after_submit";
    public const string OnChange = "on_change";
    public const string OnTrash = "on_trash";
    public const string AfterDelete = "after_delete";
    public const string AfterRename = "after_rename";

    internal static DocumentController? ControllerOf(FrappeContext ctx, string doctype)
    {
        foreach (var app in Meta.AppsOf(ctx.Site))
            if (app.Controllers.TryGetValue(doctype, out var c))
                return c;
        return ctx.Site.Host.DocEvents.ControllerOf(doctype);
    }

    internal static async Task RunAsync(FrappeContext ctx, Document doc, string eventName, CancellationToken ct)
    {
        var controller = ControllerOf(ctx, doc.DocType);
        if (controller is not null)
            await controller.RunAsync(eventName, ctx, doc, ct);
        var hooks = ctx.Site.Host.DocEvents.Hooks();
        var appHooks = Meta.AppsOf(ctx.Site).SelectMany(a => a.DocEvents).ToList();
        foreach (var h in appHooks.Concat(hooks).Where(h => h.Event == eventName && h.DocType == doc.DocType))
            await h.Handler(ctx, doc, eventName, ct);
        foreach (var h in appHooks.Concat(hooks).Where(h => h.Event == eventName && h.DocType == "*"))
            await h.Handler(ctx, doc, eventName, ct);
    }
}

/// <summary>
/// The controllers and <c>doc_events</c> hooks registered in code on one host (beside those its
/// apps declare). One per host (<c>host.DocEvents</c>): two benches in one process
/// never run each other's hooks.
/// </summary>
public sealed class DocEventRegistry
{
    private readonly ConcurrentDictionary<string, DocumentController> _controllers = new(StringComparer.Ordinal);
    private readonly List<DocEventHook> _hooks = [];
    private readonly Lock _gate = new();

    /// <summary>Sets the controller of a DocType for every site of this host (an app's own controller comes first).</summary>
    public void Controller(string doctype, DocumentController controller) => _controllers[doctype] = controller;

    /// <summary>Adds a hook; <paramref name="doctype"/> "*" matches every DocType.</summary>
    public void On(string doctype, string eventName, DocEventCallback handler)
    {
        lock (_gate)
            _hooks.Add(new DocEventHook(doctype, eventName, handler));
    }

    /// <summary>Removes a hook (tests, or a capability shutting down).</summary>
    public void Off(DocEventCallback handler)
    {
        lock (_gate)
            _hooks.RemoveAll(h => h.Handler == handler);
    }

    internal DocumentController? ControllerOf(string doctype) => _controllers.GetValueOrDefault(doctype);

    internal DocEventHook[] Hooks()
    {
        lock (_gate)
            return _hooks.ToArray();
    }
}
