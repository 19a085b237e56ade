using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Auth;
using SharpBench.Model;

namespace SharpBench.Http;

/// <summary><c>frappe.client.validate_link</c>, which every desk Link field calls.</summary>
public static partial class ClientMethods
{
    /// <summary>
    /// Whether <paramref name="docname"/> exists (<c>{"name": …}</c>, or <c>{"name": null}</c>), with
    /// the values of <paramref name="fields"/> when the caller may read them; when it may not, the
    /// name alone comes back with an orange "Cannot Fetch Values" message, as in Frappe.
    /// </summary>
    [Whitelist("frappe.client.validate_link", Methods = ["GET", "POST"])]
    internal static async Task<JsonObject> ValidateLink(FrappeContext ctx, string doctype, string docname, JsonNode? fields = null, CancellationToken ct = default)
    {
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        if (doctype != "DocType" && !await Permissions.HasAsync(ctx, meta, "select", ct: ct) && !await Permissions.HasAsync(ctx, meta, "read", ct: ct))
            throw new PermissionError($"You do not have Read or Select Permissions for <strong>{System.Net.WebUtility.HtmlEncode(doctype)}</strong>");
        var values = new JsonObject { ["name"] = null };
        var doc = await Documents.FindAsync(ctx, doctype, docname, ct);
        if (doc is null || (meta.Single && docname != meta.Name))
            return values;
        values["name"] = doc.Name;
        var wanted = ListArgs.Fields(fields is not null && fields.GetValueKind() == JsonValueKind.String && FormDict.Text(fields)!.Trim().Length == 0 ? null : fields);
        if (wanted is not { Count: > 0 })
            return values;
        try
        {
            if (await ClientMethods.GetValue(ctx, doctype, new JsonArray(wanted.Select(f => (JsonNode?)f).ToArray()), new JsonObject { ["name"] = doc.Name }, ct: ct) is JsonObject found)
                foreach (var (k, v) in found)
                    if (k != "name")
                        values[k] = v?.DeepClone();
        }
        catch (PermissionError)
        {
            ctx.Messages.Add(new ServerMessage($"You need read permission to fetch values from {doctype} {docname}", "Cannot Fetch Values", "orange"));
        }
        return values;
    }
}
