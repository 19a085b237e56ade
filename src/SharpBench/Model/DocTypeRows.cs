using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>
/// DocType definitions as rows of <c>tabDocType</c>, <c>tabDocField</c> and <c>tabDocPerm</c>, as
/// Frappe keeps them: custom DocTypes live only there, shipped ones are written there on install
/// and migrate so they can be listed through the API like any document.
/// </summary>
public static class DocTypeRows
{
    private static DocTypeMeta Core(string name) =>
        CoreDocTypes.All.First(m => m.Name == name);

    public static async Task<DocTypeMeta?> ReadAsync(Database db, string doctype, CancellationToken ct = default)
    {
        var docTypeMeta = Core("DocType");
        var row = await RowStore.GetAsync(db, docTypeMeta, doctype, false, ct);
        if (row is null)
            return null;
        var json = ToJson(row);
        json["name"] = row["name"] as string;
        json["fields"] = new JsonArray((await RowStore.ChildrenAsync(db, Core("DocField"), doctype, "DocType", "fields", ct)).Select(r => (JsonNode?)ToJson(r)).ToArray());
        json["permissions"] = new JsonArray((await RowStore.ChildrenAsync(db, Core("DocPerm"), doctype, "DocType", "permissions", ct)).Select(r => (JsonNode?)ToJson(r)).ToArray());
        DocTypeMeta meta;
        try
        {
            meta = json.Deserialize<DocTypeMeta>(DocTypeMeta.JsonOptions) ?? throw new InvalidDataException("empty");
            meta.Validate($"DocType {doctype}");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new ValidationError($"DocType {doctype} has an invalid definition: {e.Message}");
        }
        return meta;
    }

    private static JsonObject ToJson(Dictionary<string, object?> row)
    {
        var o = new JsonObject();
        foreach (var (k, v) in row)
            if (v is not null)
                o[k] = ValueEncoding.ToJson(v);
        return o;
    }

    /// <summary>Replaces the rows of one DocType with its definition (shipped DocTypes on install and migrate).</summary>
    /// <summary>Deletes a DocType's rows (tabDocType, its fields and permissions); the caller drops its table.</summary>
    internal static async Task DeleteAsync(Database db, string doctype, CancellationToken ct = default)
    {
        await RowStore.DeleteChildrenAsync(db, Core("DocField"), doctype, "DocType", null, ct);
        await RowStore.DeleteChildrenAsync(db, Core("DocPerm"), doctype, "DocType", null, ct);
        await RowStore.DeleteAsync(db, Core("DocType"), doctype, ct);
    }

    public static async Task WriteAsync(Database db, DocTypeMeta meta, DateTime now, CancellationToken ct = default)
    {
        var docType = Core("DocType");
        var docField = Core("DocField");
        var docPerm = Core("DocPerm");
        var existing = await RowStore.GetAsync(db, docType, meta.Name, false, ct);
        await RowStore.DeleteChildrenAsync(db, docField, meta.Name, "DocType", null, ct);
        await RowStore.DeleteChildrenAsync(db, docPerm, meta.Name, "DocType", null, ct);
        await RowStore.DeleteAsync(db, docType, meta.Name, ct);

        var node = JsonSerializer.SerializeToNode(meta, DocTypeMeta.JsonOptions)!.AsObject();
        var values = Values(docType, node);
        values["name"] = meta.Name;
        values["owner"] = existing?["owner"] ?? "Administrator";
        values["creation"] = existing?["creation"] ?? now;
        values["modified"] = now;
        values["modified_by"] = "Administrator";
        values["docstatus"] = 0L;
        values["idx"] = 0L;
        await RowStore.InsertAsync(db, docType, values, ct);
        await WriteChildrenAsync(db, docField, meta.Name, "fields", node["fields"]?.AsArray(), now, ct);
        await WriteChildrenAsync(db, docPerm, meta.Name, "permissions", node["permissions"]?.AsArray(), now, ct);
    }

    private static async Task WriteChildrenAsync(Database db, DocTypeMeta childMeta, string parent, string parentField, JsonArray? rows, DateTime now, CancellationToken ct)
    {
        if (rows is null)
            return;
        var idx = 1L;
        foreach (var row in rows.OfType<JsonObject>())
        {
            var values = Rows.BySystem(Naming.Hash(), now, Values(childMeta, row), idx++);
            values["parent"] = parent;
            values["parenttype"] = "DocType";
            values["parentfield"] = parentField;
            await RowStore.InsertAsync(db, childMeta, values, ct);
        }
    }

    private static Dictionary<string, object?> Values(DocTypeMeta meta, JsonObject node)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var f in meta.DataFields)
        {
            var value = node[f.FieldName];
            values[f.FieldName] = value is null && f.Default is not null ? FieldValue.Coerce(f, f.Default) : FieldValue.Coerce(f, value);
        }
        return values;
    }
}
