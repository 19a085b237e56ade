using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using SharpBench.Apps;

namespace SharpBench.Model;

/// <summary>A method one document answers over HTTP: Frappe's <c>@frappe.whitelist()</c> on a controller method.</summary>
/// <param name="Name">The name clients send (<c>submit</c>, <c>add_comment</c>, a controller's own).</param>
/// <param name="Whitelist">Guest access and allowed HTTP methods.</param>
/// <param name="Invoke">Runs the method on a document with keyword arguments.</param>
internal sealed record DocMethod(string Name, WhitelistAttribute Whitelist, Func<FrappeContext, Document, JsonObject, CancellationToken, Task<object?>> Invoke);

/// <summary>What a look-up of a document method found.</summary>
internal enum DocMethodState
{
    Whitelisted,

    /// <summary>The document has a method of that name, but clients may not call it (Frappe: 403).</summary>
    NotWhitelisted,

    Missing,
}

/// <summary>
/// Resolves the methods <c>run_doc_method</c>, <c>/api/v2/document/…/method/…</c> and
/// <c>/api/resource</c>'s <c>run_method</c> call on a document, in Frappe's order: the DocType's
/// controller (instance methods marked <see cref="WhitelistAttribute"/> with the client's
/// name), then static methods registered as <c>&lt;DocType&gt;.&lt;method&gt;</c> (called with
/// <c>doctype</c> and <c>name</c>), then the ones every document has (<see cref="CoreDocMethods"/>).
/// A name the document has without a whitelist (Frappe's own <c>save</c>, <c>db_set</c>, a
/// controller hook) is refused, not reported missing.
/// </summary>
internal static class DocMethods
{
    // Per controller type: its whitelisted methods by client name, and the snake_case names of the rest.
    private static readonly ConcurrentDictionary<Type, (Dictionary<string, Bound> Whitelisted, HashSet<string> Others)> ByType = new();

    private sealed record Bound(WhitelistAttribute Whitelist, Func<object?, FrappeContext, Document?, JsonObject, CancellationToken, Task<object?>> Call);

    /// <summary>Methods every Frappe document has that are not whitelisted: a client naming one gets 403.</summary>
    private static readonly HashSet<string> FrappeDocumentMethods = new(StringComparer.Ordinal)
    {
        "save", "insert", "delete", "reload", "db_set", "db_get", "db_insert", "db_update", "run_method", "run_trigger",
        "get", "set", "append", "update", "as_dict", "as_json", "check_permission", "has_permission", "load_from_db",
        "get_doc_before_save", "notify_update", "queue_action", "lock", "unlock", "get_url", "get_title", "add_seen",
        "add_viewed", "log_error", "set_onload", "get_onload", "validate_value", "is_new", "get_valid_dict",
        "_submit", "_cancel", "_rename", "autoname", "before_insert", "before_validate", "before_save", "after_insert",
        "on_update", "before_submit", "on_submit", "before_cancel", "on_cancel", "on_trash", "after_delete", "on_change",
        "before_rename", "after_rename", "before_update_after_submit", "on_update_after_submit",
    };

    public static (DocMethodState State, DocMethod? Method) Find(FrappeContext ctx, string doctype, string name)
    {
        if (DocEvents.ControllerOf(ctx, doctype) is { } controller)
        {
            var (whitelisted, others) = ByType.GetOrAdd(controller.GetType(), Scan);
            // Instance methods run on the controller object registered for this site.
            if (whitelisted.TryGetValue(name, out var own))
                return (DocMethodState.Whitelisted, new DocMethod(name, own.Whitelist, (c, d, k, t) => own.Call(controller, c, d, k, t)));
            if (others.Contains(name))
                return (DocMethodState.NotWhitelisted, null);
        }
        if (ctx.Site.Host.Methods.Find($"{doctype}.{name}") is { } registered)
        {
            if (registered.Whitelist is null)
                return (DocMethodState.NotWhitelisted, null);
            return (DocMethodState.Whitelisted, new DocMethod(name, registered.Whitelist, (c, d, k, t) =>
            {
                var kwargs = (JsonObject)k.DeepClone();
                kwargs["doctype"] = d.DocType;
                kwargs["name"] = d.Name;
                return registered.Invoke(c, kwargs, t);
            }));
        }
        if (CoreDocMethods.All.TryGetValue(name, out var core))
            return (DocMethodState.Whitelisted, core);
        return (FrappeDocumentMethods.Contains(name) ? DocMethodState.NotWhitelisted : DocMethodState.Missing, null);
    }

    /// <summary>
    /// The document a client sent to run a method on (run_doc_method's <c>docs</c>): the stored
    /// one with the client's values over it, its <c>modified</c> checked as the save lock; or,
    /// when it has no name or is marked <c>__islocal</c>, a new unsaved one.
    /// </summary>
    public static async Task<Document> FromClientAsync(FrappeContext ctx, JsonObject values, CancellationToken ct)
    {
        var doctype = FieldValue.Text(FieldValue.Unwrap(values["doctype"]));
        if (string.IsNullOrEmpty(doctype))
            throw new ValidationError("The document must have a doctype");
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        var name = FieldValue.Text(FieldValue.Unwrap(values["name"]));
        var isLocal = FieldValue.Unwrap(values["__islocal"]) is { } local && FieldValue.Text(local) is not (null or "" or "0" or "false");
        var copy = (JsonObject)values.DeepClone();
        copy.Remove("doctype");
        if (!isLocal && (meta.Single || !string.IsNullOrEmpty(name)))
        {
            var stored = await Documents.FindAsync(ctx, doctype, meta.Single ? doctype : name!, ct)
                ?? throw new DoesNotExistError($"{doctype} {name} not found");
            stored.Update(copy);
            Documents.CheckIfLatest(stored);
            return stored;
        }
        // A desk form's unsaved document carries a placeholder name ("new-todo-1"): not a name to keep.
        copy.Remove("name");
        return await Documents.NewAsync(ctx, doctype, copy, ct);
    }

    /// <summary>A method's return value as JSON: a document the way Frappe's encoder writes one (no nulls, unreadable fields left out).</summary>
    public static async Task<object?> ResultAsync(FrappeContext ctx, object? result, CancellationToken ct) => result switch
    {
        Document d => d.ToJson(includeNulls: false, await FieldPermissions.ReadMaskAsync(ctx, d, ct)),
        _ => result,
    };

    private static (Dictionary<string, Bound>, HashSet<string>) Scan(Type type)
    {
        var whitelisted = new Dictionary<string, Bound>(StringComparer.Ordinal);
        var others = new HashSet<string>(StringComparer.Ordinal);
        for (var t = type; t is not null && t != typeof(DocumentController) && t != typeof(object); t = t.BaseType)
        {
            foreach (var m in t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                // Overridden lifecycle events are hooks, not methods of their own.
                if (m.IsSpecialName || m.GetBaseDefinition().DeclaringType == typeof(DocumentController))
                    continue;
                if (m.GetCustomAttribute<WhitelistAttribute>(inherit: true) is { } w)
                {
                    if (whitelisted.ContainsKey(w.Name))
                        continue;
                    whitelisted[w.Name] = new Bound(w, MethodBinder.Bind(m, w.Name));
                    continue;
                }
                var snake = MethodBinder.SnakeCase(m.Name.EndsWith("Async", StringComparison.Ordinal) ? m.Name[..^5] : m.Name);
                others.Add(snake);
            }
        }
        return (whitelisted, others);
    }
}
