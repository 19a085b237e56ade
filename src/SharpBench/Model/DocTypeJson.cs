using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBench.Model;

/// <summary>A DocType's meta in the shape Frappe sends it to clients: every row tagged with its doctype (DocType, DocField, DocPerm).</summary>
public static class DocTypeJson
{
    public static JsonObject Of(DocTypeMeta meta)
    {
        var node = (JsonObject)JsonSerializer.SerializeToNode(meta, DocTypeMeta.JsonOptions)!;
        node["doctype"] = "DocType";
        if (node["fields"] is JsonArray fields)
            foreach (var f in fields.OfType<JsonObject>())
                f["doctype"] = "DocField";
        if (node["permissions"] is JsonArray perms)
            foreach (var p in perms.OfType<JsonObject>())
                p["doctype"] = "DocPerm";
        return node;
    }
}
