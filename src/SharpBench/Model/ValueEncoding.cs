using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBench.Model;

/// <summary>
/// Frappe's JSON value encoding (frappe/utils/response.py, json_handler): datetimes as <c>2024-05-01 10:20:30.123456</c>
/// (fraction left out when zero), dates <c>2024-05-01</c>, times without hour padding
/// (<c>9:05:03</c>), decimals as floats (<c>100.0</c>), integers as integers.
/// </summary>
public static class ValueEncoding
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string FormatDateTime(DateTime t) =>
        t.Ticks % TimeSpan.TicksPerSecond == 0 ? t.ToString("yyyy-MM-dd HH:mm:ss", Inv) : t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", Inv);

    public static string FormatTime(TimeSpan t)
    {
        var text = ((long)t.TotalHours).ToString(Inv) + ":" + t.Minutes.ToString("00", Inv) + ":" + t.Seconds.ToString("00", Inv);
        var micro = t.Ticks % TimeSpan.TicksPerSecond / 10;
        return micro == 0 ? text : text + "." + micro.ToString("000000", Inv);
    }

    /// <summary>Zero-padded, so SQLite's text comparison orders times correctly.</summary>
    public static string FormatTimeStorage(TimeSpan t) =>
        ((long)t.TotalHours).ToString("00", Inv) + ":" + t.Minutes.ToString("00", Inv) + ":" + t.Seconds.ToString("00", Inv)
        + "." + (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", Inv);

    private static string FormatFloat(double d)
    {
        var text = d.ToString("R", Inv);
        return double.IsFinite(d) && Math.Floor(d) == d && !text.Contains('E', StringComparison.Ordinal) ? text + ".0" : text;
    }

    public static JsonNode? ToJson(object? value) => value switch
    {
        null or DBNull => null,
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        short s => JsonValue.Create(s),
        byte b => JsonValue.Create(b),
        sbyte b => JsonValue.Create(b),
        bool b => JsonValue.Create(b),
        decimal m => JsonNode.Parse(FormatFloat((double)m)),
        double d => double.IsFinite(d) ? JsonNode.Parse(FormatFloat(d)) : null,
        float f => JsonNode.Parse(FormatFloat(f)),
        DateTime t => JsonValue.Create(FormatDateTime(t)),
        DateOnly d => JsonValue.Create(d.ToString("yyyy-MM-dd", Inv)),
        TimeSpan t => JsonValue.Create(FormatTime(t)),
        TimeOnly t => JsonValue.Create(FormatTime(t.ToTimeSpan())),
        JsonNode n => n.DeepClone(),
        _ => JsonValue.Create(Convert.ToString(value, Inv)),
    };

    /// <summary>Writes a value straight to a writer (the fast path for list results).</summary>
    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null or DBNull: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case long l: writer.WriteNumberValue(l); break;
            case int i: writer.WriteNumberValue(i); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case decimal m: writer.WriteRawValue(FormatFloat((double)m), skipInputValidation: true); break;
            case double d when double.IsFinite(d): writer.WriteRawValue(FormatFloat(d), skipInputValidation: true); break;
            case DateTime t: writer.WriteStringValue(FormatDateTime(t)); break;
            case DateOnly d: writer.WriteStringValue(d.ToString("yyyy-MM-dd", Inv)); break;
            case TimeSpan t: writer.WriteStringValue(FormatTime(t)); break;
            case JsonNode n: n.WriteTo(writer); break;
            default:
                var node = ToJson(value);
                if (node is null) writer.WriteNullValue();
                else node.WriteTo(writer);
                break;
        }
    }
}
