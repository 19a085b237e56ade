using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBench.Model.Queries;

/// <summary>
/// The arguments of a list query (frappe/model/db_query.py, DatabaseQuery.execute), already decoded from the request:
/// <c>GET /api/resource/X</c>, <c>frappe.client.get_list</c> and <c>get_count</c> all build one.
/// </summary>
public sealed class ListQuery
{
    public required string DocType { get; init; }

    /// <summary>Requested fields (<c>["name"]</c> when empty): plain, <c>tabX.f</c>, <c>link.f</c>, <c>table.f</c>, <c>count(name) as n</c>, <c>*</c>.</summary>
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>AND-combined filters: a JSON object or an array of <c>[field, op, value]</c> / <c>[doctype, field, op, value]</c>.</summary>
    public JsonNode? Filters { get; init; }

    /// <summary>OR-combined filters, AND-ed with <see cref="Filters"/>.</summary>
    public JsonNode? OrFilters { get; init; }

    public string? OrderBy { get; init; }
    public string? GroupBy { get; init; }
    public int LimitStart { get; init; }

    /// <summary>Rows per page; 0 means all rows.</summary>
    public int LimitPageLength { get; init; } = 20;

    public bool Distinct { get; init; }

    /// <summary>For a child DocType: the parent DocType it is read through (required unless permissions are ignored).</summary>
    public string? Parent { get; init; }

    public bool IgnorePermissions { get; init; }

    /// <summary>Frappe's <c>debug</c>: the SQL that ran goes back to the caller in <c>_debug_messages</c> (System Managers only).</summary>
    public bool Debug { get; init; }

    /// <summary>
    /// Parses a JSON argument (<c>fields</c>, <c>filters</c>, <c>or_filters</c>); text that is not
    /// JSON is a 417 DataError naming the argument (Frappe answers 500 here).
    /// </summary>
    public static JsonNode? ParseJson(string? raw, string argument)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return null;
        try
        {
            return ClientText.Check(JsonNode.Parse(raw));
        }
        catch (JsonException e)
        {
            throw new DataError($"{argument} must be valid JSON: {e.Message}");
        }
    }

    /// <summary>
    /// The <c>fields</c> argument as a list: a JSON array of strings, a JSON string, or (as
    /// Frappe's get_list accepts) plain comma-separated text. Anything else is a DataError.
    /// </summary>
    public static IReadOnlyList<string>? ParseFields(JsonNode? node) => node switch
    {
        null => null,
        JsonArray a => a.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new DataError("fields must be a list of field names")).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => SplitFields(s),
        _ => throw new DataError("fields must be a list of field names"),
    };

    public static IReadOnlyList<string>? ParseFieldsText(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return null;
        var t = raw.TrimStart();
        if (t.StartsWith('[') || t.StartsWith('"'))
            return ParseFields(ParseJson(raw, "fields"));
        return SplitFields(raw);
    }

    private static List<string> SplitFields(string s) =>
        s.Trim() == "*" ? ["*"] : s.Split(',').Select(f => f.Trim()).Where(f => f.Length > 0).ToList();
}
