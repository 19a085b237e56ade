using SharpBench.Model;
using SharpBench.Model.Queries;

namespace SharpBench.Http.V2;

/// <summary><c>/api/v2/doctype/&lt;DocType&gt;/meta</c> and <c>/count</c>.</summary>
internal static class V2DocTypes
{
    /// <summary>The DocType's meta with its fields and permissions, for any logged-in user (Guest: 403).</summary>
    public static async Task MetaAsync(FrappeRequest request, string doctype, CancellationToken ct)
    {
        var ctx = request.Context;
        if (ctx.IsGuest)
            throw new PermissionError("");
        request.Body["data"] = DocTypeJson.Of(await Meta.GetAsync(ctx, doctype, ct));
    }

    /// <summary>
    /// Frappe's <c>frappe.desk.reportview.get_count</c>: the rows the caller may read under
    /// <c>filters</c>, counted once per document with <c>distinct=true</c>, and no more than
    /// <c>limit</c> when one is given.
    /// </summary>
    public static async Task CountAsync(FrappeRequest request, string doctype, CancellationToken ct)
    {
        var ctx = request.Context;
        var form = request.Form;
        await Meta.GetAsync(ctx, doctype, ct);
        var count = await DbQuery.GetCountAsync(ctx, new ListQuery
        {
            DocType = doctype,
            Filters = ListArgs.Json(form["filters"], "filters"),
            OrFilters = ListArgs.Json(form["or_filters"], "or_filters"),
            Distinct = FormDict.Text(form["distinct"]) is "true" or "1",
            Debug = ListArgs.Bool(form["debug"], false),
        }, ct);
        var limit = ListArgs.Int(form["limit"], "limit") ?? 0;
        request.Body["data"] = limit > 0 ? Math.Min(count, limit) : count;
    }
}
