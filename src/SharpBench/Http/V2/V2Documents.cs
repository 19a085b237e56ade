using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SharpBench.Auth;
using SharpBench.Model;
using SharpBench.Model.Queries;

namespace SharpBench.Http.V2;

/// <summary>
/// <c>/api/v2/document/&lt;DocType&gt;[/&lt;name&gt;[/copy | /method/&lt;method&gt;]]</c>: list, create,
/// read, update (PATCH or PUT), delete (202 <c>"ok"</c>, a child row through its parent),
/// a clean copy for "duplicate", and a whitelisted document method. Documents come back with
/// their null fields, as Frappe's <c>as_dict()</c>, fields the reader may not read left out.
/// </summary>
internal static class V2Documents
{
    /// <summary>
    /// <c>fields</c>, <c>filters</c>, <c>or_filters</c>, <c>order_by</c>, <c>group_by</c>,
    /// <c>start</c>, <c>limit</c> (20; 0 for every row), <c>as_dict</c>, <c>debug</c>, <c>parent</c>;
    /// <c>has_next_page</c> says whether rows remain past this page.
    /// </summary>
    public static async Task ListAsync(FrappeRequest request, string doctype, CancellationToken ct)
    {
        var ctx = request.Context;
        await RequireAsync(ctx, doctype, ct);
        var form = request.Form;
        var limit = ListArgs.Int(form["limit"], "limit") ?? 20;
        var query = new ListQuery
        {
            DocType = doctype,
            Fields = ListQuery.ParseFields(ListArgs.Json(form["fields"], "fields")),
            Filters = ListArgs.Json(form["filters"], "filters"),
            OrFilters = ListArgs.Json(form["or_filters"], "or_filters"),
            OrderBy = ListArgs.Text(form["order_by"]),
            GroupBy = ListArgs.Text(form["group_by"]),
            LimitStart = ListArgs.Int(form["start"], "start") ?? 0,
            // One row more than asked for tells whether there is a next page.
            LimitPageLength = limit == 0 ? 0 : limit + 1,
            Parent = ListArgs.Text(form["parent"]),
            Debug = ListArgs.Bool(form["debug"], false),
        };
        var result = await DbQuery.GetListAsync(ctx, query, ct);
        var more = limit > 0 && result.Rows.Count > limit;
        if (more)
            result = new ListResult(result.Columns, result.Rows.Take(limit).ToList());
        request.Body["data"] = new ListRows(result, ListArgs.Bool(form["as_dict"], true));
        request.Body["has_next_page"] = more;
    }

    /// <summary>Inserts the body's values; unlike v1, a <c>name</c> in the body is kept whatever the naming rule.</summary>
    public static async Task CreateAsync(FrappeRequest request, string doctype, CancellationToken ct)
    {
        var ctx = request.Context;
        await RequireAsync(ctx, doctype, ct);
        var values = Values(request.Form);
        var doc = await Documents.NewAsync(ctx, doctype, values, ct);
        if (FormDict.Text(values["name"]) is { Length: > 0 } name)
        {
            doc.NewName = name;
            doc.Flags.NameSet = true;
        }
        await Documents.InsertAsync(ctx, doc, ct);
        request.Body["data"] = await JsonAsync(ctx, doc, ct);
    }

    public static async Task ReadAsync(FrappeRequest request, string doctype, string name, CancellationToken ct)
    {
        var ctx = request.Context;
        await RequireAsync(ctx, doctype, ct);
        request.Body["data"] = await JsonAsync(ctx, await Documents.GetAsync(ctx, doctype, name, ct: ct), ct);
    }

    /// <summary>
    /// A new document's values taken from this one, as Frappe's <c>copy_doc</c>: no name, owner,
    /// timestamps or amendment link (its child rows' neither), a draft, nulls left out.
    /// </summary>
    public static async Task CopyAsync(FrappeRequest request, string doctype, string name, CancellationToken ct)
    {
        var ctx = request.Context;
        await RequireAsync(ctx, doctype, ct);
        var doc = await Documents.GetAsync(ctx, doctype, name, ct: ct);
        var copy = doc.ToJson(includeNulls: false, await FieldPermissions.ReadMaskAsync(ctx, doc, ct));
        Clean(copy);
        copy.Remove("amended_from");
        copy.Remove("amendment_date");
        copy["docstatus"] = 0;
        foreach (var f in doc.Meta.TableFields)
            if (copy[f.FieldName] is JsonArray rows)
                foreach (var row in rows.OfType<JsonObject>())
                {
                    Clean(row);
                    row["docstatus"] = 0;
                    row.Remove("parent");
                }
        request.Body["data"] = copy;

        static void Clean(JsonObject o)
        {
            foreach (var key in new[] { "name", "owner", "creation", "modified", "modified_by" })
                o.Remove(key);
        }
    }

    /// <summary>Merges the body into the document and saves it (a child row through its parent).</summary>
    public static async Task UpdateAsync(FrappeRequest request, string doctype, string name, CancellationToken ct)
    {
        var ctx = request.Context;
        await RequireAsync(ctx, doctype, ct);
        var values = Values(request.Form);
        values.Remove("flags");
        values.Remove("name");
        var saved = await Documents.UpdateAsync(ctx, doctype, name, values, ct);
        request.Body["data"] = await JsonAsync(ctx, saved, ct);
    }

    public static async Task DeleteAsync(FrappeRequest request, string doctype, string name, CancellationToken ct)
    {
        await RequireAsync(request.Context, doctype, ct);
        await Documents.DeleteDocAsync(request.Context, doctype, name, ct);
        request.Status = StatusCodes.Status202Accepted;
        request.Body["data"] = "ok";
    }

    /// <summary>
    /// A whitelisted method of a stored document, the rest of the body as its arguments: GET
    /// needs read, POST write. The result is <c>data</c>; the document as the method left it is
    /// <c>docs</c>. A method the document lacks is 404, as Frappe's NotFound.
    /// </summary>
    public static async Task MethodAsync(FrappeRequest request, string doctype, string name, string method, CancellationToken ct)
    {
        var ctx = request.Context;
        await RequireAsync(ctx, doctype, ct);
        var doc = await Documents.GetAsync(ctx, doctype, name, ignorePermissions: true, ct);
        var (state, _) = DocMethods.Find(ctx, doctype, method);
        if (state == DocMethodState.Missing)
            throw new DoesNotExistError($"Method {method} not found");
        if (state == DocMethodState.NotWhitelisted)
            throw DocMethodCall.NotWhitelisted(doctype, method);
        await Permissions.CheckAsync(ctx, doc.Meta, request.IsWrite ? "write" : "read", doc, ct: ct);
        var kwargs = Values(request.Form);
        kwargs.Remove("run_method");
        var result = await DocMethodCall.RunAsync(request, doc, method, kwargs, missingIsNotFound: true, ct);
        request.Body["docs"] = new JsonArray(await JsonAsync(ctx, doc, ct));
        if (await DocMethods.ResultAsync(ctx, result, ct) is { } data)
            request.Body["data"] = data;
    }

    private static async Task RequireAsync(FrappeContext ctx, string doctype, CancellationToken ct)
    {
        if (!await Meta.ExistsAsync(ctx, doctype, ct))
            throw new DoesNotExistError($"DocType {doctype} not found");
    }

    private static async Task<JsonObject> JsonAsync(FrappeContext ctx, Document doc, CancellationToken ct) =>
        doc.ToJson(includeNulls: true, await FieldPermissions.ReadMaskAsync(ctx, doc, ct));

    /// <summary>The body's field values: the whole form less the request's own keys; <c>doctype</c> is the route's.</summary>
    private static JsonObject Values(JsonObject form)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in form)
            if (k is not ("doctype" or "cmd" or "sid" or "csrf_token"))
                copy[k] = v?.DeepClone();
        return copy;
    }
}
