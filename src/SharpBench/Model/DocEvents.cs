using System.Collections.Concurrent;

namespace SharpBench.Model;

/// <summary>A document event handler (Frappe's <c>doc_events</c> hook).</summary>
public delegate Task DocEventCallback(FrappeContext ctx, Document doc, string eventName, CancellationToken ct);

/// <summary>An app's <c>doc_events</c> entry: a DocType (or "*" for all) and event name.</summary>
public sealed record DocEventHook(string DocType, string Event, DocEventCallback Handler);

/// <summary>
/// Controllers per DocType and <c>doc_events</c> hooks. For each event the controller runs first,
/// then hooks for the DocType, then hooks for "*" (in registration order), as in Frappe.
/// Process-wide registrations (<see cref="On"/>) serve framework capabilities such as realtime
/// (which hooks "*" <c>on_change</c>/<c>after_delete</c> and publishes after commit); apps
/// declare theirs in <c>App.DocEvents</c>/<c>App.Controllers</c>, active on benches that install them.
/// The process-wide registrations stay static on purpose: they are part of the document model in
/// every process (as Document.notify_update is in Frappe), whatever bench a host serves.
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

    private static readonly ConcurrentDictionary<string, DocumentController> Controllers = new(StringComparer.Ordinal);
    private static readonly List<DocEventHook> Hooks = [];
    private static readonly Lock Gate = new();

    /// <summary>Sets the controller of a DocType for every site of this process.</summary>
    public static void Controller(string doctype, DocumentController controller) => Controllers[doctype] = controller;

    /// <summary>Adds a process-wide hook; <paramref name="doctype"/> "*" matches every DocType.</summary>
    public static void On(string doctype, string eventName, DocEventCallback handler)
    {
        lock (Gate)
            Hooks.Add(new DocEventHook(doctype, eventName, handler));
    }

    /// <summary>Removes a process-wide hook (tests, or a capability shutting down).</summary>
    public static void Off(DocEventCallback handler)
    {
        lock (Gate)
            Hooks.RemoveAll(h => h.Handler == handler);
    }

    internal static DocumentController? ControllerOf(FrappeContext ctx, string doctype)
    {
        foreach (var app in Meta.AppsOf(ctx.Site))
            if (app.Controllers.TryGetValue(doctype, out var c))
                return c;
        return Controllers.GetValueOrDefault(doctype);
    }

    internal static async Task RunAsync(FrappeContext ctx, Document doc, string eventName, CancellationToken ct)
    {
        var controller = ControllerOf(ctx, doc.DocType);
        if (controller is not null)
            await controller.RunAsync(eventName, ctx, doc, ct);
        DocEventHook[] hooks;
        lock (Gate)
            hooks = Hooks.ToArray();
        var appHooks = Meta.AppsOf(ctx.Site).SelectMany(a => a.DocEvents).ToList();
        foreach (var h in appHooks.Concat(hooks).Where(h => h.Event == eventName && h.DocType == doc.DocType))
            await h.Handler(ctx, doc, eventName, ct);
        foreach (var h in appHooks.Concat(hooks).Where(h => h.Event == eventName && h.DocType == "*"))
            await h.Handler(ctx, doc, eventName, ct);
    }
}
