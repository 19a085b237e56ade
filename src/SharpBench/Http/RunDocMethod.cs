using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Auth;
using SharpBench.Model;

namespace SharpBench.Http;

/// <summary>
/// <c>run_doc_method</c> (alias <c>runserverobj</c>), what every desk form button and
/// frappe-ui's document resources call: a whitelisted method of a stored document (<c>dt</c>,
/// <c>dn</c>) or of the document the client sends (<c>docs</c>, its <c>modified</c> checked),
/// with <c>args</c> as keyword arguments. The answer is <c>message</c> (the result) and
/// <c>docs</c> (the document as the method left it). The caller needs read permission; the
/// method itself checks what it does (submit needs submit).
/// </summary>
internal static class RunDocMethod
{
    [Whitelist("frappe.handler.run_doc_method", AllowGuest = true)]
    public static Task<object?> RunAsync(FrappeContext ctx, string method, JsonNode? docs = null, string? dt = null, string? dn = null,
        JsonNode? arg = null, JsonNode? args = null, CancellationToken ct = default) =>
        RunV1Async(ctx, method, docs, dt, dn, args ?? arg, ct);

    [Whitelist("frappe.handler.runserverobj", AllowGuest = true)]
    public static Task<object?> RunServerObjAsync(FrappeContext ctx, string method, JsonNode? docs = null, string? dt = null, string? dn = null,
        JsonNode? arg = null, JsonNode? args = null, CancellationToken ct = default) =>
        RunV1Async(ctx, method, docs, dt, dn, args ?? arg, ct);

    private static async Task<object?> RunV1Async(FrappeContext ctx, string method, JsonNode? docs, string? dt, string? dn, JsonNode? args, CancellationToken ct)
    {
        var request = FrappeRequest.Of(ctx) ?? throw new ValidationError("run_doc_method answers HTTP requests only");
        Document doc;
        if (!string.IsNullOrEmpty(dt))
            doc = await Documents.GetAsync(ctx, dt, string.IsNullOrEmpty(dn) ? dt : dn, ignorePermissions: true, ct);
        else
            doc = await DocMethods.FromClientAsync(ctx, DocumentArgument(docs, "docs"), ct);
        if (!await Permissions.HasAsync(ctx, doc.Meta, "read", doc.IsNew ? null : doc, ct: ct))
            throw new PermissionError("Not permitted");
        var result = await DocMethodCall.RunAsync(request, doc, method, KeywordArguments(args), missingIsNotFound: false, ct);
        request.Body["docs"] = new JsonArray(await DocumentJsonAsync(ctx, doc, ct));
        if (await DocMethods.ResultAsync(ctx, result, ct) is { } message)
            request.Body["message"] = message;
        return null;
    }

    /// <summary>
    /// API v2's <c>run_doc_method</c>: <c>document</c> (the client's copy), <c>kwargs</c>; GET needs
    /// read and POST write on the document. The result is the answer's <c>data</c>.
    /// </summary>
    internal static async Task<object?> RunV2Async(FrappeRequest request, CancellationToken ct)
    {
        var ctx = request.Context;
        var form = request.Form;
        var method = FormDict.Text(form["method"]);
        if (string.IsNullOrEmpty(method))
            throw new FrappeArgumentError("run_doc_method() missing 1 required positional argument: 'method'");
        if (form["document"] is null)
            throw new FrappeArgumentError("run_doc_method() missing 1 required positional argument: 'document'");
        var doc = await DocMethods.FromClientAsync(ctx, DocumentArgument(form["document"], "document"), ct);
        await Permissions.CheckAsync(ctx, doc.Meta, request.IsWrite ? "write" : "read", doc.IsNew ? null : doc, ct: ct);
        var result = await DocMethodCall.RunAsync(request, doc, method, KeywordArguments(form["kwargs"]), missingIsNotFound: false, ct);
        request.Body["docs"] = new JsonArray(await DocumentJsonAsync(ctx, doc, ct));
        return await DocMethods.ResultAsync(ctx, result, ct);
    }

    private static async Task<JsonNode> DocumentJsonAsync(FrappeContext ctx, Document doc, CancellationToken ct) =>
        doc.ToJson(includeNulls: false, await FieldPermissions.ReadMaskAsync(ctx, doc, ct));

    private static JsonObject DocumentArgument(JsonNode? node, string argument) =>
        ListArgs.Json(node, argument) as JsonObject
            ?? throw new ValidationError($"'{argument}' must be a JSON object of the document's values, with its doctype");

    /// <summary><c>args</c>: a JSON object is the keyword arguments; any other value is passed as the one argument <c>args</c>.</summary>
    private static JsonObject KeywordArguments(JsonNode? args)
    {
        if (args is null || args.GetValueKind() == JsonValueKind.Null)
            return [];
        var value = args;
        if (args.GetValueKind() == JsonValueKind.String)
        {
            try
            {
                value = ClientText.Check(JsonNode.Parse(args.GetValue<string>())) ?? args;
            }
            catch (JsonException)
            {
                value = args;
            }
        }
        return value is JsonObject o ? (JsonObject)o.DeepClone() : new JsonObject { ["args"] = value.DeepClone() };
    }
}
