using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Model.Queries;

namespace SharpBench.Http;

/// <summary>
/// Reads list-query arguments (frappe/client.py get_list, frappe/model/db_query.py) from a form_dict or method arguments: JSON text
/// or native JSON for <c>fields</c>/<c>filters</c>/<c>or_filters</c>, bool-ish <c>as_dict</c>,
/// integer paging. Text that is not what it should be is a 417 DataError, never a 500.
/// </summary>
public static class ListArgs
{
    public static ListQuery FromForm(string doctype, JsonObject form, bool resource)
    {
        var length = resource && form["limit_page_length"] is null
            ? Int(form["limit"], "limit") ?? 20
            : Int(form["limit_page_length"], "limit_page_length") ?? 20;
        return new ListQuery
        {
            DocType = doctype,
            Fields = resource ? ListQuery.ParseFields(Json(form["fields"], "fields")) : Fields(form["fields"]),
            Filters = Json(form["filters"], "filters"),
            OrFilters = Json(form["or_filters"], "or_filters"),
            OrderBy = Text(form["order_by"]),
            GroupBy = Text(form["group_by"]),
            LimitStart = Int(form["limit_start"], "limit_start") ?? 0,
            LimitPageLength = length,
            Parent = Text(form["parent"]),
            Debug = Bool(form["debug"], false),
        };
    }

    /// <summary>A JSON argument: JSON text is parsed, native JSON is taken as it is.</summary>
    public static JsonNode? Json(JsonNode? node, string argument) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => ListQuery.ParseJson(v.GetValue<string>(), argument),
        JsonValue v when v.GetValueKind() == JsonValueKind.Null => null,
        _ => node.DeepClone(),
    };

    /// <summary><c>fields</c> for frappe.client: JSON text, a native list, or comma-separated names.</summary>
    public static IReadOnlyList<string>? Fields(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => ListQuery.ParseFieldsText(v.GetValue<string>()),
        _ => ListQuery.ParseFields(node),
    };

    public static string? Text(JsonNode? node)
    {
        var text = FormDict.Text(node);
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    public static int? Int(JsonNode? node, string argument)
    {
        var text = FormDict.Text(node)?.Trim();
        if (string.IsNullOrEmpty(text))
            return null;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0)
            return n;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && d == Math.Floor(d) && d <= int.MaxValue)
            return (int)d;
        throw new DataError($"{argument} must be a non-negative integer, not '{text}'");
    }

    /// <summary>Frappe's bool-ish values: true/false, 1/0, "true"/"false", "1"/"0"; absent → the default.</summary>
    public static bool Bool(JsonNode? node, bool fallback)
    {
        if (node is null)
            return fallback;
        switch (node.GetValueKind())
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                return node.GetValue<double>() != 0;
            case JsonValueKind.Null:
                return fallback;
        }
        return (FormDict.Text(node) ?? "").Trim().ToLowerInvariant() switch
        {
            "" => fallback,
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            var other => throw new FrappeTypeError($"Argument 'as_dict' should be of type 'bool' but got '{other}' instead."),
        };
    }
}

/// <summary>A list result to write as objects or as arrays (<c>as_dict</c>).</summary>
public sealed record ListRows(ListResult Result, bool AsDict);

/// <summary>A document as a response value, serialised without building a JSON tree first.</summary>
public sealed record DocumentJson(Model.Document Document, bool IncludeNulls, Model.FieldMask? Mask = null);
