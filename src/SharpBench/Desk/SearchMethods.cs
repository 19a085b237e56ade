using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SharpBench.Apps;
using SharpBench.Auth;
using SharpBench.Http;
using SharpBench.Model;
using SharpBench.Model.Queries;

namespace SharpBench.Desk;

/// <summary>
/// <c>frappe.desk.search.search_link</c>, what a Link field's dropdown calls: names (and titles)
/// of the target DocType that contain the typed text, through the list engine so the user's
/// read rights and row conditions apply. The answer is Frappe's autosuggest shape:
/// <c>[{value, description[, label]}]</c>.
/// </summary>
public static partial class SearchMethods
{
    private const int MaxPageLength = 500;

    [Whitelist("frappe.desk.search.search_link")]
    public static async Task<JsonArray> SearchLink(FrappeContext ctx, string doctype, string? txt = null, string? query = null, JsonNode? filters = null,
        JsonNode? pageLength = null, string? searchfield = null, JsonNode? start = null, string? referenceDoctype = null,
        JsonNode? ignoreUserPermissions = null, CancellationToken ct = default)
    {
        _ = referenceDoctype;
        _ = ignoreUserPermissions;
        if (!string.IsNullOrEmpty(query))
            // Frappe runs a whitelisted query method here; none is registered in SharpBench, and
            // running an arbitrary dotted path from a search box is not something to guess at.
            throw new PermissionError($"Query method {query} is not allowed");
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        if (!await Permissions.HasAsync(ctx, meta, "read", ct: ct) && !await Permissions.HasAsync(ctx, meta, "select", ct: ct))
            throw new PermissionError($"Insufficient Permission for {doctype}");
        if (!string.IsNullOrEmpty(searchfield) && !FieldNameShape().IsMatch(searchfield))
            throw new DataError($"Invalid Search Field {searchfield}");
        var limit = ListArgs.Int(pageLength, "page_length") ?? 10;
        var offset = ListArgs.Int(start, "start") ?? 0;
        if (limit < 1 || limit > MaxPageLength)
            throw new DataError($"page_length must be between 1 and {MaxPageLength}");
        if (offset < 0)
            throw new DataError("start must not be negative");

        var titleField = meta.TitleField is { Length: > 0 } t && meta.Field(t) is not null && t != "name" ? t : null;
        var searchFields = new List<string> { "name" };
        if (titleField is not null)
            searchFields.Add(titleField);
        foreach (var f in (meta.SearchFields ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (meta.Field(f) is { } field && field.Storage is not null && !searchFields.Contains(f))
                searchFields.Add(f);
        if (!string.IsNullOrEmpty(searchfield) && meta.Field(searchfield) is { Storage: not null } && !searchFields.Contains(searchfield))
            searchFields.Add(searchfield);

        JsonNode? orFilters = null;
        var text = txt?.Trim() ?? "";
        if (text.Length > 0)
        {
            var or = new JsonArray();
            foreach (var f in searchFields)
                or.Add(new JsonArray(doctype, f, "like", "%" + text + "%"));
            orFilters = or;
        }
        var result = await DbQuery.GetListAsync(ctx, new ListQuery
        {
            DocType = doctype,
            Fields = searchFields,
            Filters = ListArgs.Json(filters, "filters"),
            OrFilters = orFilters,
            OrderBy = meta.Field("idx") is null && meta.Single ? null : "modified desc",
            LimitStart = offset,
            LimitPageLength = limit,
        }, ct);

        var answer = new JsonArray();
        foreach (var row in result.Rows)
        {
            var value = Convert.ToString(row[0], System.Globalization.CultureInfo.InvariantCulture) ?? "";
            var item = new JsonObject { ["value"] = value };
            var rest = new List<string>();
            for (var i = 1; i < row.Length; i++)
            {
                var s = Convert.ToString(row[i], System.Globalization.CultureInfo.InvariantCulture);
                if (string.IsNullOrEmpty(s))
                    continue;
                if (titleField is not null && result.Columns[i] == titleField && !item.ContainsKey("label"))
                {
                    if (s != value)
                        item["label"] = s;
                    continue;
                }
                if (!rest.Contains(s))
                    rest.Add(s);
            }
            item["description"] = string.Join(", ", rest);
            answer.Add(item);
        }
        return answer;
    }

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex FieldNameShape();
}
