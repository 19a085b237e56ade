using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Http;
using SharpBench.Model;

namespace SharpBench.Desk;

/// <summary>
/// <c>frappe.desk.form.load.getdoctype</c>: the meta the desk builds its list and form views
/// from, in Frappe's shape (<c>docs</c> at the top of the response: the DocType first, then
/// the child table DocTypes its Table fields name).
/// </summary>
public static class FormLoad
{
    [Whitelist("frappe.desk.form.load.getdoctype")]
    public static async Task<object?> GetDocType(FrappeContext ctx, string doctype, JsonNode? withParent = null, string? cachedTimestamp = null, CancellationToken ct = default)
    {
        _ = withParent;
        _ = cachedTimestamp;
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        var docs = new JsonArray { DocTypeJson.Of(meta) };
        foreach (var table in meta.TableFields)
            if (await Meta.FindAsync(ctx, table.Options ?? "", ct) is { } child && !docs.Any(d => (string?)d!["name"] == child.Name))
                docs.Add(DocTypeJson.Of(child));
        if (FrappeRequest.Of(ctx) is { } request)
        {
            request.Body["docs"] = docs;
            return null;
        }
        return new JsonObject { ["docs"] = docs };
    }
}
