using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SharpBench.Apps;
using SharpBench.Auth;
using SharpBench.Model;
using SharpBench.Model.Queries;

namespace SharpBench.Http;

/// <summary>
/// <c>/api/resource/&lt;DocType&gt;[/&lt;name&gt;]</c> (frappe/api/v1.py): list, insert, read,
/// update, delete and <c>run_method</c>, answered under <c>data</c> with null fields left out of
/// documents. Virtual DocTypes go to their provider.
/// </summary>
public static class ResourceEndpoint
{
    public static async Task HandleAsync(FrappeRequest request, string doctype, string? name, CancellationToken ct)
    {
        if (VirtualDocTypes.Of(request.Context, doctype) is { } provider)
        {
            await VirtualResource.HandleAsync(request, provider, name, ct);
            return;
        }
        var ctx = request.Context;
        if (!await Meta.ExistsAsync(ctx, doctype, ct))
            throw new DoesNotExistError($"DocType {doctype} not found");
        var verb = HttpMethods.IsHead(request.Method) ? "GET" : request.Method.ToUpperInvariant();
        var form = request.Form;
        switch (verb, name)
        {
            case ("GET", null):
                var query = ListArgs.FromForm(doctype, form, resource: true);
                var result = await DbQuery.GetListAsync(ctx, query, ct);
                request.Body["data"] = new ListRows(result, ListArgs.Bool(form["as_dict"], true));
                return;
            case ("POST", null):
                var values = DocumentValues(form);
                values.Remove("doctype");
                var doc = await Documents.NewAsync(ctx, doctype, values, ct);
                await Documents.InsertAsync(ctx, doc, ct);
                request.Body["data"] = doc.ToJson(includeNulls: false, await FieldPermissions.ReadMaskAsync(ctx, doc, ct));
                return;
            case ("GET", not null) when form["run_method"] is not null:
            case ("POST", not null):
                request.Body["data"] = await RunMethodAsync(request, doctype, name, verb == "GET" ? "read" : "write", ct);
                return;
            case ("GET", not null):
                var read = await Documents.GetAsync(ctx, doctype, name, ct: ct);
                request.Body["data"] = new DocumentJson(read, IncludeNulls: false, await FieldPermissions.ReadMaskAsync(ctx, read, ct));
                return;
            case ("PUT", not null):
                var changes = DocumentValues(form);
                changes.Remove("flags");
                changes.Remove("doctype");
                var saved = await Documents.UpdateAsync(ctx, doctype, name, changes, ct);
                // Frappe answers a write with every field; we leave out what the writer may not read.
                request.Body["data"] = saved.ToJson(includeNulls: false, await FieldPermissions.ReadMaskAsync(ctx, saved, ct));
                return;
            case ("DELETE", not null):
                await Documents.DeleteDocAsync(ctx, doctype, name, ct);
                request.Status = StatusCodes.Status202Accepted;
                request.Body["data"] = "ok";
                return;
            default:
                throw new DoesNotExistError("");
        }
    }

    /// <summary>The document values of a write: the whole form, or a form field <c>data</c> holding JSON text.</summary>
    private static JsonObject DocumentValues(JsonObject form)
    {
        var data = form["data"];
        if (data is null)
            return Without(form, "cmd", "sid", "csrf_token");
        var parsed = ListArgs.Json(data, "data");
        return parsed as JsonObject ?? throw new ValidationError("Invalid request arguments: data must be a JSON object of field values");
    }

    private static JsonObject Without(JsonObject form, params string[] keys)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in form)
            if (!keys.Contains(k))
                copy[k] = v?.DeepClone();
        return copy;
    }

    /// <summary>
    /// <c>run_method</c>: a whitelisted method of the document (<see cref="DocMethods"/>), called
    /// with the rest of the form after a read (GET) or write check; the result is <c>data</c>.
    /// </summary>
    private static async Task<object?> RunMethodAsync(FrappeRequest request, string doctype, string name, string ptype, CancellationToken ct)
    {
        var methodName = FormDict.Text(request.Form["run_method"]);
        if (string.IsNullOrEmpty(methodName))
            throw new ValidationError("run_method is required");
        var ctx = request.Context;
        var doc = await Documents.GetAsync(ctx, doctype, name, ignorePermissions: true, ct: ct);
        if (DocMethods.Find(ctx, doctype, methodName).State == DocMethodState.Missing)
            throw new DoesNotExistError($"Method {methodName} not found");
        await Model.Permissions.CheckAsync(ctx, doc.Meta, ptype, doc, ct: ct);
        var kwargs = Without(request.Form, "run_method", "cmd");
        return await DocMethods.ResultAsync(ctx, await DocMethodCall.RunAsync(request, doc, methodName, kwargs, missingIsNotFound: true, ct), ct);
    }
}
