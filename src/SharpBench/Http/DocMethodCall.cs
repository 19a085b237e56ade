using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SharpBench.Model;

namespace SharpBench.Http;

/// <summary>
/// Calls a document's method for a client (run_doc_method, <c>run_method</c>, v2's document
/// methods): a method the document lacks is 417 (404 on v2's document route, where Frappe
/// raises NotFound); one it has but does not whitelist, or does not open to Guest, is 403 with
/// Frappe's "not whitelisted" message; an HTTP method the whitelist does not allow is 403.
/// </summary>
internal static class DocMethodCall
{
    public static async Task<object?> RunAsync(FrappeRequest request, Document doc, string method, JsonObject kwargs, bool missingIsNotFound, CancellationToken ct)
    {
        var ctx = request.Context;
        var (state, found) = DocMethods.Find(ctx, doc.DocType, method);
        if (state == DocMethodState.Missing)
        {
            if (missingIsNotFound)
                throw new DoesNotExistError($"Method {method} not found");
            throw new ValidationError($"Method {method} not found on {doc.DocType}");
        }
        if (found is null || (ctx.IsGuest && !found.Whitelist.AllowGuest))
            throw NotWhitelisted(doc.DocType, method);
        var verb = HttpMethods.IsHead(request.Method) ? "GET" : request.Method;
        if (!found.Whitelist.Methods.Contains(verb, StringComparer.OrdinalIgnoreCase))
            throw new PermissionError("Not permitted");
        return await found.Invoke(ctx, doc, kwargs, ct);
    }

    public static PermissionError NotWhitelisted(string doctype, string method) => new(
        $"<details><summary>You are not permitted to access this resource.</summary>Function <strong>{WebUtility.HtmlEncode(doctype)}.{WebUtility.HtmlEncode(method)}</strong> is not whitelisted.</details>",
        "Method Not Allowed");
}
