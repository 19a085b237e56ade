using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>
/// Turns values from clients (JSON) and from the three databases into one set of CLR types per
/// storage kind, and back into parameters: strings, long (Int/Check), decimal (Float, Currency…),
/// DateOnly, DateTime (naive, microseconds), TimeSpan. Everything a document holds is one of these.
/// </summary>
public static class FieldValue
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd",
    ];

    /// <summary>The storage of a column of a DocType, standard columns included; null when it has none.</summary>
    public static ColumnKind? KindOf(DocTypeMeta meta, string column) => column switch
    {
        "name" => meta.Autoname == "autoincrement" ? ColumnKind.BigInt : ColumnKind.Varchar,
        "creation" or "modified" => ColumnKind.Datetime,
        "owner" or "modified_by" or "parent" or "parentfield" or "parenttype" => ColumnKind.Varchar,
        "docstatus" or "idx" => ColumnKind.Int,
        "_user_tags" or "_comments" or "_assign" or "_liked_by" or "_seen" => ColumnKind.Text,
        _ => meta.Field(column)?.Storage,
    };

    public static bool IsNumeric(ColumnKind kind) =>
        kind is ColumnKind.Int or ColumnKind.BigInt or ColumnKind.Check or ColumnKind.Decimal or ColumnKind.Rating;

    public static bool IsText(ColumnKind kind) => kind is ColumnKind.Varchar or ColumnKind.Text or ColumnKind.LongText;

    /// <summary>Plain CLR value of a JSON node (string, bool, long, decimal, or the node itself for objects/arrays).</summary>
    public static object? Unwrap(object? value)
    {
        switch (value)
        {
            case JsonValue jv:
                switch (jv.GetValueKind())
                {
                    case JsonValueKind.String: return jv.GetValue<string>();
                    case JsonValueKind.True: return true;
                    case JsonValueKind.False: return false;
                    case JsonValueKind.Null or JsonValueKind.Undefined: return null;
                    case JsonValueKind.Number:
                        if (jv.TryGetValue<long>(out var l)) return l;
                        if (jv.TryGetValue<decimal>(out var m)) return m;
                        if (jv.TryGetValue<double>(out var d)) return ToDecimal(d, jv.ToJsonString());
                        if (jv.TryGetValue<int>(out var i)) return (long)i;
                        // A value built in code (a float, a ulong) rather than parsed: go by its JSON text.
                        var text = jv.ToJsonString();
                        if (long.TryParse(text, NumberStyles.Integer, Inv, out l)) return l;
                        return decimal.TryParse(text, NumberStyles.Float, Inv, out m) ? m : throw OutOfRange(text);
                    default: return jv;
                }
            case JsonElement e:
                return Unwrap(JsonSerializer.SerializeToNode(e));
            case int i: return (long)i;
            case short s: return (long)s;
            case byte b: return (long)b;
            case sbyte sb: return (long)sb;
            case uint ui: return (long)ui;
            case ulong ul: return (long)ul;
            case double d: return double.IsFinite(d) ? ToDecimal(d, d.ToString("R", Inv)) : throw new FrappeTypeError("Numbers must be finite");
            case float f: return double.IsFinite(f) ? ToDecimal(f, f.ToString("R", Inv)) : throw new FrappeTypeError("Numbers must be finite");
            case DBNull: return null;
            default: return value;
        }
    }

    /// <summary>Coerces a client value for a field as Frappe does on save (frappe/model/base_document.py).</summary>
    public static object? Coerce(DocField field, object? value) =>
        Coerce(field.Storage ?? throw new ArgumentException($"{field.FieldName} stores nothing"), value, field.Label ?? field.FieldName, field.FieldType);

    public static object? Coerce(ColumnKind kind, object? value, string label, string fieldType = "")
    {
        var v = Unwrap(value);
        if (v is JsonArray && !(kind == ColumnKind.Json))
            throw new ValidationError($"Value for {label} cannot be a list");
        switch (kind)
        {
            case ColumnKind.Varchar or ColumnKind.Text or ColumnKind.LongText:
                return v switch
                {
                    null => null,
                    string s => s,
                    bool b => b ? "1" : "0",
                    JsonNode n => n.ToJsonString(),
                    _ => Text(v),
                };
            case ColumnKind.Int or ColumnKind.BigInt:
                return v switch
                {
                    null => 0L,
                    long l => l,
                    bool b => b ? 1L : 0L,
                    decimal m => ToLong(m, label),
                    string s when string.IsNullOrWhiteSpace(s) => 0L,
                    string s when long.TryParse(s.Trim(), NumberStyles.Integer, Inv, out var l) => l,
                    string s when ParseNumber(s) is { } m => ToLong(m, label),
                    _ => throw new FrappeTypeError($"{label}: {Describe(v)} is not a whole number"),
                };
            case ColumnKind.Check:
                return v switch
                {
                    null => 0L,
                    bool b => b ? 1L : 0L,
                    long l => l != 0 ? 1L : 0L,
                    decimal m => m != 0 ? 1L : 0L,
                    string s => s.Trim().ToLowerInvariant() switch
                    {
                        "" or "0" or "false" or "no" or "off" => 0L,
                        "1" or "true" or "yes" or "on" => 1L,
                        var t when double.TryParse(t, NumberStyles.Float, Inv, out var m) && double.IsFinite(m) => m != 0 ? 1L : 0L,
                        _ => throw new FrappeTypeError($"{label}: {Describe(v)} is not a Check value (0 or 1)"),
                    },
                    _ => throw new FrappeTypeError($"{label}: {Describe(v)} is not a Check value (0 or 1)"),
                };
            case ColumnKind.Decimal or ColumnKind.Rating:
                return v switch
                {
                    null => 0m,
                    long l => (decimal)l,
                    decimal m => m,
                    bool b => b ? 1m : 0m,
                    string s when string.IsNullOrWhiteSpace(s) => 0m,
                    string s when ParseNumber(s) is { } m => m,
                    _ => throw new FrappeTypeError($"{label}: {Describe(v)} is not a number"),
                };
            case ColumnKind.Date:
                return v switch
                {
                    null => null,
                    string s when string.IsNullOrWhiteSpace(s) => null,
                    DateOnly d => d,
                    DateTime t => DateOnly.FromDateTime(t),
                    string s when ParseDateTime(s) is { } t => DateOnly.FromDateTime(t),
                    _ => throw new FrappeTypeError($"{label}: {Describe(v)} is not a date (yyyy-mm-dd)"),
                };
            case ColumnKind.Datetime:
                return v switch
                {
                    null => null,
                    string s when string.IsNullOrWhiteSpace(s) => null,
                    DateTime t => Micro(t),
                    DateOnly d => d.ToDateTime(TimeOnly.MinValue),
                    string s when ParseDateTime(s) is { } t => t,
                    _ => throw new FrappeTypeError($"{label}: {Describe(v)} is not a date and time (yyyy-mm-dd hh:mm:ss)"),
                };
            case ColumnKind.Time:
                return v switch
                {
                    null => null,
                    string s when string.IsNullOrWhiteSpace(s) => null,
                    TimeSpan t => t,
                    TimeOnly t => t.ToTimeSpan(),
                    DateTime t => t.TimeOfDay,
                    string s when ParseTime(s) is { } t => t,
                    _ => throw new FrappeTypeError($"{label}: {Describe(v)} is not a time (hh:mm:ss)"),
                };
            case ColumnKind.Json:
                switch (v)
                {
                    case null: return null;
                    case string s when string.IsNullOrWhiteSpace(s): return null;
                    case JsonNode n: return n.ToJsonString();
                    case string s:
                        try
                        {
                            JsonNode.Parse(s);
                            return s;
                        }
                        catch (JsonException)
                        {
                            throw new FrappeTypeError($"{label}: the value is not valid JSON");
                        }
                    default: return Text(v);
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    // Every number becomes a decimal (28 digits) or a long; what does not fit either is refused
    // here with a 417 instead of an OverflowException (a 500) somewhere later.
    private static decimal ToDecimal(double d, string text) =>
        Math.Abs(d) < 7.9e28 ? (decimal)d : throw OutOfRange(text);

    private static long ToLong(decimal m, string label)
    {
        var t = decimal.Truncate(m);
        return t is >= long.MinValue and <= long.MaxValue ? (long)t : throw OutOfRange($"{label}: {m.ToString(Inv)}");
    }

    /// <summary>Text as a number (plain or exponent form); null when it is not a number at all.</summary>
    private static decimal? ParseNumber(string s)
    {
        s = s.Trim();
        if (decimal.TryParse(s, NumberStyles.Float, Inv, out var m))
            return m;
        // Parses as a double but not as a decimal: a number, just too large (1e308, and 1e400 as infinity).
        if (double.TryParse(s, NumberStyles.Float, Inv, out var d) && !double.IsNaN(d))
            throw OutOfRange(s.Length > 40 ? s[..40] + "…" : s);
        return null;
    }

    private static ValidationError OutOfRange(string what) => new($"Number out of range: {what}");

    private static string Describe(object? v) => v switch
    {
        string s => "'" + (s.Length > 40 ? s[..40] + "…" : s) + "'",
        JsonNode n => n.GetValueKind().ToString().ToLowerInvariant(),
        _ => Text(v) ?? "null",
    };

    public static string? Text(object? v) => v switch
    {
        null => null,
        string s => s,
        DateTime t => ValueEncoding.FormatDateTime(t),
        DateOnly d => d.ToString("yyyy-MM-dd", Inv),
        TimeSpan t => ValueEncoding.FormatTime(t),
        decimal m => m.ToString(Inv),
        IFormattable f => f.ToString(null, Inv),
        _ => v.ToString(),
    };

    public static DateTime? ParseDateTime(string s)
    {
        s = s.Trim();
        if (DateTime.TryParseExact(s, DateTimeFormats, Inv, DateTimeStyles.None, out var t))
            return Micro(t);
        if (DateTimeOffset.TryParse(s, Inv, DateTimeStyles.None, out var o))
            return Micro(o.DateTime);
        return null;
    }

    public static TimeSpan? ParseTime(string s)
    {
        s = s.Trim();
        if (TimeSpan.TryParse(s, Inv, out var t) && t >= TimeSpan.Zero)
            return TimeSpan.FromTicks(t.Ticks - t.Ticks % 10);
        return null;
    }

    private static DateTime Micro(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Unspecified);

    /// <summary>A value read from any of the three databases, as the CLR type of its storage.</summary>
    public static object? FromDb(ColumnKind? kind, object? raw)
    {
        if (raw is null or DBNull)
            return null;
        switch (kind)
        {
            case null:
                return Unwrap(raw);
            case ColumnKind.Varchar or ColumnKind.Text or ColumnKind.LongText or ColumnKind.Json:
                return raw as string ?? Text(Unwrap(raw));
            case ColumnKind.Int or ColumnKind.BigInt or ColumnKind.Check:
                return raw switch
                {
                    long l => l,
                    string s => long.TryParse(s, NumberStyles.Integer, Inv, out var l) ? l : (long)decimal.Parse(s, NumberStyles.Float, Inv),
                    _ => Convert.ToInt64(raw, Inv),
                };
            case ColumnKind.Decimal or ColumnKind.Rating:
                return raw switch
                {
                    decimal m => m,
                    double d => (decimal)d,
                    string s => decimal.Parse(s, NumberStyles.Float, Inv),
                    _ => Convert.ToDecimal(raw, Inv),
                };
            case ColumnKind.Date:
                return raw switch
                {
                    DateOnly d => d,
                    DateTime t => DateOnly.FromDateTime(t),
                    string s => ParseDateTime(s) is { } t ? DateOnly.FromDateTime(t) : null,
                    _ => null,
                };
            case ColumnKind.Datetime:
                return raw switch
                {
                    DateTime t => new DateTime(t.Ticks, DateTimeKind.Unspecified),
                    string s => ParseDateTime(s),
                    DateTimeOffset o => o.DateTime,
                    _ => null,
                };
            case ColumnKind.Time:
                return raw switch
                {
                    TimeSpan t => t,
                    TimeOnly t => t.ToTimeSpan(),
                    string s => ParseTime(s),
                    DateTime t => t.TimeOfDay,
                    _ => null,
                };
            default:
                return raw;
        }
    }

    /// <summary>A coerced value as the parameter each provider stores correctly in that column.</summary>
    public static object? ToDb(ColumnKind? kind, object? value, DbKind db)
    {
        switch (value)
        {
            case null: return null;
            case bool b: return b ? 1L : 0L;
            case DateOnly d when db == DbKind.Sqlite: return d.ToString("yyyy-MM-dd", Inv);
            case TimeSpan t when db == DbKind.Sqlite: return ValueEncoding.FormatTimeStorage(t);
            case TimeSpan t when db == DbKind.Postgres: return t < TimeSpan.FromDays(1) ? TimeOnly.FromTimeSpan(t) : throw new FrappeTypeError("A time must be less than 24 hours");
            case decimal m when db == DbKind.Sqlite: return (double)m;
            case string s when kind == ColumnKind.BigInt:
                return long.TryParse(s, NumberStyles.Integer, Inv, out var l) ? l : throw new FrappeTypeError($"'{s}' is not a whole number");
            default: return value;
        }
    }

    /// <summary>The placeholder for parameter <paramref name="index"/>; PostgreSQL needs JSON columns' text cast.</summary>
    public static string Param(ColumnKind? kind, DbKind db, int index) =>
        kind == ColumnKind.Json && db == DbKind.Postgres ? $"CAST(@p{index} AS json)" : "@p" + index.ToString(Inv);
}
