using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SharpBench.Auth;
using SharpBench.Model;

namespace SharpBench.Http;

/// <summary>
/// <c>/api/resource</c> for virtual DocTypes (RQ Job, RQ Worker): list, get and delete go to
/// the registered provider, after the provider's role check. Equality filters only.
/// </summary>
public static class VirtualResource
{
    public static async Task HandleAsync(FrappeRequest request, IVirtualDocType provider, string? name, CancellationToken ct)
    {
        await CheckRolesAsync(request.Context, provider, ct);
        var verb = HttpMethods.IsHead(request.Method) ? "GET" : request.Method.ToUpperInvariant();
        if (name is null && verb == "GET")
        {
            request.Body["data"] = await ListAsync(request.Context, provider, request.Form, resourceLimit: true, ct);
            return;
        }
        if (name is not null && verb == "GET")
        {
            request.Body["data"] = await provider.GetAsync(request.Context, name, ct)
                ?? throw new DoesNotExistError($"{provider.DocType} {name} not found");
            return;
        }
        if (name is not null && verb == "DELETE")
        {
            if (!await provider.DeleteAsync(request.Context, name, ct))
                throw new DoesNotExistError($"{provider.DocType} {name} not found");
            request.Status = StatusCodes.Status202Accepted;
            request.Body["data"] = "ok";
            return;
        }
        throw new PermissionError($"Not allowed for {provider.DocType}: it is a virtual DocType");
    }

    public static async Task CheckRolesAsync(FrappeContext context, IVirtualDocType provider, CancellationToken ct)
    {
        if (context.IsAdministrator)
            return;
        var roles = await Permissions.RolesAsync(context, null, ct);
        if (!provider.Roles.Any(roles.Contains))
            throw new PermissionError($"No permission for {provider.DocType}");
    }

    public static async Task<IReadOnlyList<JsonObject>> ListAsync(FrappeContext context, IVirtualDocType provider, JsonObject form, bool resourceLimit, CancellationToken ct)
    {
        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, value) in EqualityFilters(form["filters"]))
            filters[field] = value;
        var start = Int(form["limit_start"]) ?? 0;
        var length = (resourceLimit && form["limit_page_length"] is null ? Int(form["limit"]) : null) ?? Int(form["limit_page_length"]) ?? 20;
        return await provider.GetListAsync(context, new VirtualListArgs(filters, Math.Max(0, start), Math.Max(0, length)), ct);
    }

    private static IEnumerable<(string Field, string Value)> EqualityFilters(JsonNode? node)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>();
            if (string.IsNullOrWhiteSpace(text))
                yield break;
            try
            {
                node = Model.ClientText.Check(JsonNode.Parse(text));
            }
            catch (JsonException)
            {
                throw new DataError("filters must be JSON");
            }
        }
        switch (node)
        {
            case null:
                yield break;
            case JsonObject o:
                foreach (var (k, val) in o)
                    yield return (k, Scalar(val, k));
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    if (item is not JsonArray cond || cond.Count < 2)
                        throw new DataError("Each filter must be [field, operator, value]");
                    var offset = cond.Count >= 4 ? 1 : 0;
                    var field = FormDict.Text(cond[offset]) ?? "";
                    var op = cond.Count == 2 ? "=" : FormDict.Text(cond[offset + 1]) ?? "=";
                    if (op != "=")
                        throw new DataError($"Only '=' filters are supported on virtual DocTypes, not '{op}'");
                    yield return (field, Scalar(cond[cond.Count == 2 ? 1 : offset + 2], field));
                }
                break;
            default:
                throw new DataError("filters must be a list or an object");
        }
    }

    private static string Scalar(JsonNode? node, string field) => node switch
    {
        JsonValue v => FormDict.Text(v) ?? "",
        _ => throw new DataError($"Filter value for {field} must be a single value"),
    };

    private static int? Int(JsonNode? node)
    {
        var text = FormDict.Text(node);
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new DataError($"Not an integer: {text}");
    }
}
