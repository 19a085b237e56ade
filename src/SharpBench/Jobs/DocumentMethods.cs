using System.Reflection;
using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Model;

namespace SharpBench.Jobs;

/// <summary>
/// Methods of a document, by name, for <c>enqueue_doc</c> (Frappe's <c>getattr(doc, method)</c>).
/// A document method is a public instance method of the DocType's <see cref="DocumentController"/>
/// shaped <c>Task&lt;object?&gt; M(FrappeContext, Document, JsonObject kwargs, CancellationToken)</c>,
/// named by its <see cref="FrappeMethodAttribute"/> (e.g. <c>send_email</c>) or by its C# name.
/// </summary>
public static class DocumentMethods
{
    public const string RunDocMethod = "frappe.utils.background_jobs.run_doc_method";

    public static MethodInfo? Find(FrappeContext context, string doctype, string method)
    {
        var controller = DocEvents.ControllerOf(context, doctype);
        if (controller is null)
            return null;
        return controller.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(HasShape)
            .FirstOrDefault(m => (m.GetCustomAttribute<FrappeMethodAttribute>()?.Name ?? m.Name) == method);
    }

    private static bool HasShape(MethodInfo m)
    {
        var p = m.GetParameters();
        return m.ReturnType == typeof(Task<object?>) && p.Length == 4 && p[0].ParameterType == typeof(FrappeContext)
            && p[1].ParameterType == typeof(Document) && p[2].ParameterType == typeof(JsonObject) && p[3].ParameterType == typeof(CancellationToken);
    }

    /// <summary>The job body of <c>enqueue_doc</c>: loads the document and calls its method.</summary>
    internal static async Task<object?> RunAsync(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var doctype = (string?)kwargs["doctype"] ?? throw new ValidationError("doctype is required");
        var name = (string?)kwargs["name"] ?? throw new ValidationError("name is required");
        var method = (string?)kwargs["doc_method"] ?? throw new ValidationError("doc_method is required");
        var info = Find(context, doctype, method) ?? throw new ValidationError($"{doctype} has no document method {method}");
        // As Frappe's get_doc in run_doc_method: the enqueuer was allowed to; the job does not re-check.
        var doc = await Documents.GetAsync(context, doctype, name, ignorePermissions: true, ct);
        var controller = DocEvents.ControllerOf(context, doctype)!;
        var arguments = kwargs["kwargs"] as JsonObject ?? [];
        return await (Task<object?>)info.Invoke(controller, [context, doc, arguments.DeepClone().AsObject(), ct])!;
    }
}
