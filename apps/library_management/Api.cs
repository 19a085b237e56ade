using System.Text.Json.Nodes;
using SharpBench;
using SharpBench.Apps;

namespace LibraryManagement;

/// <summary>Whitelisted methods: <c>/api/method/library_management.api.catalogue</c>.</summary>
public static class Api
{
    /// <summary>The articles on the shelf (status Available), by name; anyone may ask.</summary>
    [Whitelist("library_management.api.catalogue", AllowGuest = true, Methods = ["GET"])]
    public static async Task<object?> Catalogue(FrappeContext context, CancellationToken ct)
    {
        var db = await context.DbAsync(ct);
        var d = db.Dialect;
        var rows = await db.QueryAsync(
            $"SELECT {d.Quote("name")}, {d.Quote("article_name")}, {d.Quote("author")} FROM {d.Quote("tabArticle")} WHERE {d.Quote("status")} = @p0 ORDER BY {d.Quote("article_name")}",
            ["Available"], ct);
        return new JsonArray(rows.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = (string?)r["name"],
            ["article_name"] = (string?)r["article_name"],
            ["author"] = (string?)r["author"],
        }).ToArray());
    }
}
