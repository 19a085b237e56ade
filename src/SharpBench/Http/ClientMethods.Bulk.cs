using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Auth;
using SharpBench.Model;

namespace SharpBench.Http;

/// <summary><c>frappe.client.bulk_update</c>.</summary>
public static partial class ClientMethods
{
    /// <summary>
    /// Saves each of <paramref name="docs"/> (JSON text of a list of documents, each with
    /// <c>doctype</c> and <c>docname</c>): what fails is listed with its error, and, unlike Frappe,
    /// leaves nothing behind (each document is written under its own savepoint).
    /// </summary>
    [Whitelist("frappe.client.bulk_update", Methods = ["POST", "PUT"])]
    internal static async Task<JsonObject> BulkUpdate(FrappeContext ctx, JsonNode docs, CancellationToken ct = default)
    {
        if (ListArgs.Json(docs, "docs") is not JsonArray list)
            throw new ValidationError("docs must be a JSON list of documents, each with doctype and docname");
        var failed = new JsonArray();
        var db = await ctx.DbAsync(ct);
        foreach (var item in list)
        {
            if (item is not JsonObject doc)
            {
                failed.Add(new JsonObject { ["doc"] = item?.DeepClone(), ["exc"] = "frappe.exceptions.ValidationError: Each document must be a JSON object" });
                continue;
            }
            var values = (JsonObject)doc.DeepClone();
            values.Remove("flags");
            await db.ExecuteAsync("SAVEPOINT bulk_update", [], ct);
            try
            {
                var doctype = FormDict.Text(values["doctype"]);
                var name = FormDict.Text(values["docname"]);
                if (string.IsNullOrEmpty(doctype) || string.IsNullOrEmpty(name))
                    throw new ValidationError("Each document needs its doctype and docname");
                values.Remove("docname");
                await Documents.UpdateAsync(ctx, doctype, name, values, ct);
                await db.ExecuteAsync("RELEASE SAVEPOINT bulk_update", [], ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await db.ExecuteAsync("ROLLBACK TO SAVEPOINT bulk_update", [], ct);
                await db.ExecuteAsync("RELEASE SAVEPOINT bulk_update", [], ct);
                doc.Remove("flags");
                failed.Add(new JsonObject { ["doc"] = doc.DeepClone(), ["exc"] = e is FrappeException fe ? $"frappe.exceptions.{fe.ExcType}: {fe.Message}" : e.GetType().Name });
            }
        }
        return new JsonObject { ["failed_docs"] = failed };
    }
}
