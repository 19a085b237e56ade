using System.Globalization;
using System.Text.Json.Nodes;

namespace SharpBench.Model.Queries;

/// <summary>
/// Upper bounds on the list parameters, checked before any pattern or SQL sees them, so the
/// work one request can cause stays small. Frappe has no such caps of its own: behind
/// gunicorn a GET's whole request line is limited to 4094 bytes, which is where
/// <see cref="MaxClauseLength"/> comes from; the other caps are far above anything the desk or
/// a report sends.
/// </summary>
public static class ListLimits
{
    /// <summary><c>order_by</c> and <c>group_by</c>, in characters.</summary>
    public const int MaxClauseLength = 4096;

    /// <summary>One entry of <c>fields</c>, and the field name of one filter, in characters.</summary>
    public const int MaxFieldLength = 512;

    /// <summary>Entries in <c>fields</c>.</summary>
    public const int MaxFields = 500;

    /// <summary>Conditions in <c>filters</c>, and again in <c>or_filters</c>.</summary>
    public const int MaxConditions = 500;

    /// <summary>Values across all <c>in</c>/<c>not in</c> lists of one argument (PostgreSQL takes at most 65535 parameters per statement).</summary>
    public const int MaxFilterValues = 10_000;

    public static void CheckText(string text, string argument, int max)
    {
        if (text.Length > max)
            throw new DataError($"{argument} is too long: at most {max.ToString(CultureInfo.InvariantCulture)} characters are allowed");
    }

    public static void CheckCount(int count, string argument, int max, string what)
    {
        if (count > max)
            throw new DataError($"{argument} has too many {what}: at most {max.ToString(CultureInfo.InvariantCulture)} are allowed");
    }

    /// <summary>How many values a filter value stands for: the items of a list, or the comma-separated parts of a text.</summary>
    internal static int ValueCount(JsonNode? value) => value switch
    {
        JsonArray a => a.Count,
        JsonValue v when v.TryGetValue<string>(out var s) => s.AsSpan().Count(',') + 1,
        _ => 1,
    };
}
