using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Auth;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Model.Queries;

namespace SharpBench.Http;

/// <summary>
/// <c>frappe.client.*</c> (frappe/client.py). Document results are <c>asDict()</c> shaped: nulls
/// included. Every path goes through the same permission checks as <c>/api/resource</c>;
/// <c>get_count</c> too (Frappe's does not check).
/// </summary>
public static partial class ClientMethods
{
    private static readonly string[] StandardFields = ["name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "parent", "parenttype", "parentfield"];

    [Whitelist("frappe.client.get_list")]
    public static async Task<object> GetList(FrappeContext ctx, string doctype, JsonNode? fields = null, JsonNode? filters = null, string? groupBy = null,
        string? orderBy = null, JsonNode? limitStart = null, JsonNode? limitPageLength = null, string? parent = null, JsonNode? asDict = null,
        JsonNode? orFilters = null, JsonNode? debug = null, CancellationToken ct = default)
    {
        var form = new JsonObject
        {
            ["debug"] = debug?.DeepClone(),
            ["fields"] = fields?.DeepClone(),
            ["filters"] = filters?.DeepClone(),
            ["or_filters"] = orFilters?.DeepClone(),
            ["group_by"] = groupBy,
            ["order_by"] = orderBy,
            ["limit_start"] = limitStart?.DeepClone(),
            ["limit_page_length"] = limitPageLength?.DeepClone(),
            ["parent"] = parent,
        };
        var rowsAsDict = ListArgs.Bool(asDict, true);
        if (VirtualDocTypes.Of(ctx, doctype) is { } provider)
        {
            await VirtualResource.CheckRolesAsync(ctx, provider, ct);
            return await VirtualResource.ListAsync(ctx, provider, form, resourceLimit: false, ct);
        }
        var result = await DbQuery.GetListAsync(ctx, ListArgs.FromForm(doctype, form, resource: false), ct);
        return new ListRows(result, rowsAsDict);
    }

    [Whitelist("frappe.client.get_count")]
    public static async Task<long> GetCount(FrappeContext ctx, string doctype, JsonNode? filters = null, JsonNode? debug = null, CancellationToken ct = default)
    {
        if (VirtualDocTypes.Of(ctx, doctype) is { } provider)
        {
            await VirtualResource.CheckRolesAsync(ctx, provider, ct);
            return (await VirtualResource.ListAsync(ctx, provider, new JsonObject { ["filters"] = filters?.DeepClone(), ["limit_page_length"] = 0 }, false, ct)).Count;
        }
        return await DbQuery.GetCountAsync(ctx, new ListQuery { DocType = doctype, Filters = ListArgs.Json(filters, "filters"), Debug = ListArgs.Bool(debug, false) }, ct);
    }

    [Whitelist("frappe.client.get")]
    public static async Task<JsonObject> Get(FrappeContext ctx, string doctype, string? name = null, JsonNode? filters = null, string? parent = null, CancellationToken ct = default)
    {
        if (VirtualDocTypes.Of(ctx, doctype) is { } provider)
        {
            await VirtualResource.CheckRolesAsync(ctx, provider, ct);
            return await provider.GetAsync(ctx, name ?? "", ct) ?? throw new DoesNotExistError($"{doctype} {name} not found");
        }
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        if (string.IsNullOrEmpty(name))
        {
            var f = ListArgs.Json(filters, "filters");
            if (f is not null && !meta.Single)
            {
                var found = await DbQuery.GetListAsync(ctx, new ListQuery { DocType = doctype, Filters = f, LimitPageLength = 1, Parent = parent }, ct);
                if (found.Rows.Count == 0)
                    throw new DoesNotExistError($"{doctype} not found");
                name = FieldValue.Text(found.Rows[0][0]);
            }
            else
            {
                name = doctype;
            }
        }
        return await ReadableAsync(ctx, await Documents.GetAsync(ctx, doctype, name!, ct: ct), ct);
    }

    /// <summary>A document as the session user may see it: fields above their permlevels left out.</summary>
    private static async Task<JsonObject> ReadableAsync(FrappeContext ctx, Document doc, CancellationToken ct) =>
        doc.ToJson(includeNulls: true, await FieldPermissions.ReadMaskAsync(ctx, doc, ct));

    /// <summary>
    /// Frappe's shapes: with a truthy <c>asDict</c> the first match as an object (<c>{}</c> when none);
    /// with a real JSON false the bare value (one field) or a list (several). <c>asDict</c> is
    /// untyped in Frappe, so the strings "false"/"0" are truthy for the shape while the inner
    /// query reads them as false: the first row comes back as an array, as real Frappe does.
    /// </summary>
    [Whitelist("frappe.client.get_value")]
    public static async Task<object?> GetValue(FrappeContext ctx, string doctype, JsonNode? fieldname = null, JsonNode? filters = null, JsonNode? asDict = null,
        string? parent = null, CancellationToken ct = default)
    {
        var fields = FieldNames(fieldname);
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        var outerAsDict = asDict is null || asDict.GetValueKind() is not (JsonValueKind.False or JsonValueKind.Null) && !(asDict.GetValueKind() == JsonValueKind.Number && asDict.GetValue<double>() == 0) && FormDict.Text(asDict) != "";
        var innerAsDict = ListArgs.Bool(asDict, true);
        List<object?> row;
        List<string> keys;
        if (meta.Single)
        {
            var doc = await Documents.GetAsync(ctx, doctype, doctype, ct: ct);
            var hidden = (await FieldPermissions.ReadMaskAsync(ctx, doc, ct)).Hidden;
            keys = fields.Where(f => !hidden.Contains(f)).ToList();
            if (keys.Count == 0)
                throw new PermissionError($"You do not have permission to access the fields requested from {doctype}");
            row = keys.Select(k => doc.Get(k)).ToList();
        }
        else
        {
            var result = await DbQuery.GetListAsync(ctx, new ListQuery { DocType = doctype, Fields = fields, Filters = ValueFilters(filters), LimitPageLength = 1, Parent = parent }, ct);
            if (result.Rows.Count == 0)
                return outerAsDict ? new JsonObject() : null;
            keys = result.Columns.ToList();
            row = result.Rows[0].ToList();
        }
        if (outerAsDict)
        {
            if (!innerAsDict)
                return new JsonArray(row.Select(ValueEncoding.ToJson).ToArray());
            var o = new JsonObject();
            for (var i = 0; i < keys.Count; i++)
                o[keys[i]] = ValueEncoding.ToJson(row[i]);
            return o;
        }
        return keys.Count > 1 ? new JsonArray(row.Select(ValueEncoding.ToJson).ToArray()) : ValueEncoding.ToJson(row[0]);
    }

    [Whitelist("frappe.client.get_single_value")]
    public static async Task<object?> GetSingleValue(FrappeContext ctx, string doctype, string field, CancellationToken ct = default)
    {
        var doc = await Documents.GetSingleAsync(ctx, doctype, ct: ct);
        if (doc.Meta.Field(field) is null)
            throw new DataError($"Field not permitted in query: {field}");
        if ((await FieldPermissions.ReadMaskAsync(ctx, doc, ct)).Hidden.Contains(field))
            throw new PermissionError($"You do not have permission to access field {doctype}.{field}");
        return ValueEncoding.ToJson(doc.Get(field));
    }

    [Whitelist("frappe.client.set_value", Methods = ["POST", "PUT"])]
    public static async Task<JsonObject> SetValue(FrappeContext ctx, string doctype, string name, JsonNode fieldname, JsonNode? value = null, CancellationToken ct = default)
    {
        JsonObject values;
        var parsed = fieldname.GetValueKind() == JsonValueKind.String ? TryJson(fieldname.GetValue<string>()) : fieldname;
        if (parsed is JsonObject o)
        {
            values = (JsonObject)o.DeepClone();
        }
        else
        {
            var field = FormDict.Text(fieldname) ?? "";
            var falsy = value is null || value.GetValueKind() is JsonValueKind.Null or JsonValueKind.False
                || (value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length == 0)
                || (value.GetValueKind() == JsonValueKind.Number && value.GetValue<double>() == 0);
            values = new JsonObject { [field] = falsy ? (value?.GetValueKind() == JsonValueKind.Number ? value.DeepClone() : "") : value!.DeepClone() };
        }
        foreach (var (key, _) in values)
            if (StandardFields.Contains(key))
                throw new ValidationError("Cannot edit standard fields");
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        foreach (var (key, _) in values)
            if (meta.Field(key) is null)
                throw new DataError($"Field not permitted in query: {key}");
        var saved = await Documents.UpdateAsync(ctx, doctype, name, values, ct);
        // A child row is saved through its parent, and the answer is the parent, as in Frappe.
        return await ReadableAsync(ctx, saved.Meta.IsChild && saved.ParentDocument is { } parent ? parent : saved, ct);
    }

    [Whitelist("frappe.client.insert", Methods = ["POST", "PUT"])]
    public static async Task<JsonObject> Insert(FrappeContext ctx, JsonObject doc, CancellationToken ct = default) =>
        await ReadableAsync(ctx, await InsertOneAsync(ctx, doc, ct), ct);

    [Whitelist("frappe.client.insert_many", Methods = ["POST", "PUT"])]
    public static async Task<JsonArray> InsertMany(FrappeContext ctx, JsonArray docs, CancellationToken ct = default)
    {
        if (docs.Count > 200)
            throw new ValidationError("Only 200 inserts allowed in one request");
        var names = new JsonArray();
        foreach (var item in docs)
        {
            if (item is not JsonObject o)
                throw new ValidationError("Each document must be a JSON object");
            names.Add((await InsertOneAsync(ctx, o, ct)).Name);
        }
        return names;
    }

    private static async Task<Document> InsertOneAsync(FrappeContext ctx, JsonObject values, CancellationToken ct)
    {
        var doctype = FormDict.Text(values["doctype"]) ?? throw new ValidationError("doc must have a doctype");
        var parentType = FormDict.Text(values["parenttype"]);
        var parentName = FormDict.Text(values["parent"]);
        var parentField = FormDict.Text(values["parentfield"]);
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        if (meta.IsChild)
        {
            if (parentType is null || parentName is null || parentField is null)
                throw new ValidationError("Parenttype, Parent and Parentfield are required to insert a child record");
            // A child row is added through its parent, which is saved (and returned).
            var parent = await Documents.GetAsync(ctx, parentType, parentName, ct: ct);
            parent.Append(parentField, values);
            return await Documents.SaveAsync(ctx, parent, ct);
        }
        var copy = (JsonObject)values.DeepClone();
        copy.Remove("doctype");
        var doc = await Documents.NewAsync(ctx, doctype, copy, ct);
        return await Documents.InsertAsync(ctx, doc, ct);
    }

    /// <summary>Saves the client's copy of a document; one without a name is new and is inserted, as Frappe's <c>doc.save()</c> does.</summary>
    [Whitelist("frappe.client.save", Methods = ["POST", "PUT"])]
    public static async Task<JsonObject> Save(FrappeContext ctx, JsonObject doc, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(FormDict.Text(doc["name"])) && !string.IsNullOrEmpty(FormDict.Text(doc["doctype"])))
            return await ReadableAsync(ctx, await InsertOneAsync(ctx, doc, ct), ct);
        var (doctype, name) = Identity(doc);
        if (doc["modified"] is null)
            throw new TimestampMismatchError("Error: Document has been modified after you have opened it. Please refresh to get the latest document.");
        var values = (JsonObject)doc.DeepClone();
        values.Remove("doctype");
        return await ReadableAsync(ctx, await Documents.UpdateAsync(ctx, doctype, name, values, ct), ct);
    }

    [Whitelist("frappe.client.submit", Methods = ["POST", "PUT"])]
    public static async Task<JsonObject> Submit(FrappeContext ctx, JsonObject doc, CancellationToken ct = default)
    {
        var (doctype, name) = Identity(doc);
        var current = await Documents.GetAsync(ctx, doctype, name, ct: ct);
        var values = (JsonObject)doc.DeepClone();
        values.Remove("doctype");
        values.Remove("docstatus");
        current.Update(values);
        return await ReadableAsync(ctx, await Documents.SubmitAsync(ctx, current, ct), ct);
    }

    [Whitelist("frappe.client.cancel", Methods = ["POST", "PUT"])]
    public static async Task<JsonObject> Cancel(FrappeContext ctx, string doctype, string name, CancellationToken ct = default)
    {
        var doc = await Documents.GetAsync(ctx, doctype, name, ct: ct);
        return await ReadableAsync(ctx, await Documents.CancelAsync(ctx, doc, ct), ct);
    }

    [Whitelist("frappe.client.delete", Methods = ["DELETE", "POST"])]
    public static async Task Delete(FrappeContext ctx, string doctype, string name, CancellationToken ct = default)
    {
        if (VirtualDocTypes.Of(ctx, doctype) is { } provider)
        {
            await VirtualResource.CheckRolesAsync(ctx, provider, ct);
            if (!await provider.DeleteAsync(ctx, name, ct))
                throw new DoesNotExistError($"{doctype} {name} not found");
            return;
        }
        await Documents.DeleteDocAsync(ctx, doctype, name, ct);
    }

    /// <summary>
    /// What frappe.client.delete and the REST DELETEs run: a child row goes through its parent.
    /// Callable from jobs and hooks; over HTTP it is refused as not whitelisted, as in Frappe.
    /// </summary>
    [FrappeMethod("frappe.client.delete_doc")]
    internal static Task DeleteDoc(FrappeContext ctx, string doctype, string name, CancellationToken ct = default) =>
        Documents.DeleteDocAsync(ctx, doctype, name, ct);

    [Whitelist("frappe.client.rename_doc", Methods = ["POST", "PUT"])]
    public static Task<string> RenameDoc(FrappeContext ctx, string doctype, string oldName, string newName, bool merge = false, CancellationToken ct = default) =>
        Rename.RenameAsync(ctx, doctype, oldName, newName, merge, ct: ct);

    [Whitelist("frappe.client.has_permission")]
    public static async Task<JsonObject> HasPermission(FrappeContext ctx, string doctype, string docname, string permType = "read", CancellationToken ct = default)
    {
        var ptype = permType.ToLowerInvariant();
        if (!Permissions.Rights.Contains(ptype))
            throw new ValidationError($"Unknown permission type {permType}");
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        var doc = await Documents.FindAsync(ctx, doctype, docname, ct) ?? throw new DoesNotExistError($"{doctype} {docname} not found");
        return new JsonObject { ["has_permission"] = await Permissions.HasAsync(ctx, meta, ptype, doc, ct: ct) };
    }

    [Whitelist("frappe.client.get_time_zone", AllowGuest = true)]
    public static async Task<JsonObject> GetTimeZone(FrappeContext ctx, CancellationToken ct = default)
    {
        var db = await ctx.DbAsync(ct);
        var zone = await Singles.GetAsync(db, "System Settings", "time_zone", ct);
        if (string.IsNullOrEmpty(zone))
            zone = ctx.Site.Config.GetString("time_zone");
        if (string.IsNullOrEmpty(zone))
            zone = TimeZoneInfo.Local.Id;
        return new JsonObject { ["time_zone"] = zone };
    }

    private static (string DocType, string Name) Identity(JsonObject doc)
    {
        var doctype = FormDict.Text(doc["doctype"]);
        var name = FormDict.Text(doc["name"]);
        if (string.IsNullOrEmpty(doctype) || string.IsNullOrEmpty(name))
            throw new ValidationError("doc must have a doctype and a name");
        return (doctype, name);
    }

    private static IReadOnlyList<string> FieldNames(JsonNode? fieldname)
    {
        if (fieldname is null)
            return ["name"];
        if (fieldname.GetValueKind() == JsonValueKind.String)
        {
            var text = fieldname.GetValue<string>().Trim();
            if (text.StartsWith('['))
                return NonEmpty(ListQuery.ParseFields(ListQuery.ParseJson(text, "fieldname")));
            return text.Length == 0 ? ["name"] : [text];
        }
        return NonEmpty(ListQuery.ParseFields(fieldname));
    }

    private static IReadOnlyList<string> NonEmpty(IReadOnlyList<string>? fields) => fields is { Count: > 0 } ? fields : ["name"];

    /// <summary>get_value's filters: JSON (object or list), or a bare document name.</summary>
    private static JsonNode? ValueFilters(JsonNode? filters)
    {
        if (filters is null)
            return null;
        if (filters.GetValueKind() == JsonValueKind.String)
        {
            var text = filters.GetValue<string>();
            var parsed = TryJson(text);
            return parsed is JsonObject or JsonArray ? parsed : new JsonObject { ["name"] = text };
        }
        return filters.DeepClone();
    }

    private static JsonNode? TryJson(string text)
    {
        try
        {
            return Model.ClientText.Check(JsonNode.Parse(text));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
