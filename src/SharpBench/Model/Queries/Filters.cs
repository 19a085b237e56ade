using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SharpBench.Data;

namespace SharpBench.Model.Queries;

/// <summary>One filter condition as the client wrote it.</summary>
internal sealed record FilterCondition(string? DocType, string Field, string Operator, JsonNode? Value);

/// <summary>
/// Frappe's filter syntax (frappe/model/db_query.py, prepare_filter_condition) into SQL conditions with parameters: dict or list
/// forms, every operator, NULL-tolerant comparisons as Frappe's <c>ifnull</c> wrapping gives.
/// </summary>
internal static partial class Filters
{
    public static readonly IReadOnlyList<string> Operators =
    [
        "=", "!=", ">", "<", ">=", "<=", "like", "not like", "in", "not in", "is", "between", "timespan", "previous", "next",
        "descendants of", "descendants of (inclusive)", "not descendants of", "ancestors of", "not ancestors of",
    ];

    [GeneratedRegex(@"[,'();\n\r]", RegexOptions.None, 250)]
    private static partial Regex BadFieldCharacters();

    [GeneratedRegex(@"\s+", RegexOptions.None, 250)]
    private static partial Regex Spaces();

    public static List<FilterCondition> Parse(JsonNode? node, string argument)
    {
        var result = new List<FilterCondition>();
        switch (node)
        {
            case null:
                break;
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (value is JsonArray a && a.Count >= 1 && a[0] is JsonValue opNode && opNode.TryGetValue<string>(out var op) && IsOperator(op))
                        result.Add(new FilterCondition(null, key, op, a.Count > 1 ? a[1] : null));
                    else
                        result.Add(new FilterCondition(null, key, "=", value));
                }
                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    if (item is not JsonArray f)
                        throw new DataError($"Each entry of {argument} must be a list like [field, operator, value]");
                    string Text(int i) => f[i] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new DataError($"Invalid filter in {argument}: {f.ToJsonString()}");
                    switch (f.Count)
                    {
                        case 2:
                            result.Add(new FilterCondition(null, Text(0), "=", f[1]));
                            break;
                        case 3:
                            result.Add(new FilterCondition(null, Text(0), Text(1), f[2]));
                            break;
                        case >= 4:
                            result.Add(new FilterCondition(Text(0), Text(1), Text(2), f[3]));
                            break;
                        default:
                            throw new DataError($"Invalid filter in {argument}: {f.ToJsonString()}");
                    }
                }
                break;
            case JsonValue v when v.TryGetValue<string>(out var name):
                // A bare string names a document, as in Frappe's get_value.
                result.Add(new FilterCondition(null, "name", "=", JsonValue.Create(name)));
                break;
            default:
                throw new DataError($"{argument} must be a list or an object");
        }
        ListLimits.CheckCount(result.Count, argument, ListLimits.MaxConditions, "conditions");
        ListLimits.CheckCount(result.Sum(c => ListLimits.ValueCount(c.Value)), argument, ListLimits.MaxFilterValues, "values");
        foreach (var c in result)
            ListLimits.CheckText(c.Field, argument, ListLimits.MaxFieldLength);
        return result;
    }

    private static bool IsOperator(string op) => Operators.Contains(Normalize(op));

    // Nearly every filter names its operator as listed ("=", "like"): no new string for those.
    private static string Normalize(string op) =>
        Operators.Contains(op) ? op : Spaces().Replace(op.Trim().ToLowerInvariant(), " ");

    /// <summary>Resolves and compiles one condition; throws DataError for anything not allowed.</summary>
    public static async Task<string> CompileAsync(QueryScope scope, FilterCondition c, CancellationToken ct)
    {
        var op = c.Operator.Length == 0 ? "=" : Normalize(c.Operator);
        if (!Operators.Contains(op))
            throw new DataError($"Operator must be one of {string.Join(", ", Operators)}");
        var field = c.Field.Trim();
        if (BadFieldCharacters().IsMatch(field))
            throw new DataError($"Invalid field name {field}");
        string? table = null, prefix = null;
        var plain = field;
        var dot = field.LastIndexOf('.');
        if (dot > 0)
        {
            var left = SqlText.Unquote(field[..dot]);
            plain = SqlText.Unquote(field[(dot + 1)..]);
            if (left.StartsWith("tab", StringComparison.Ordinal))
                table = left;
            else
                prefix = left;
        }
        plain = SqlText.Unquote(plain);
        if (!DocTypeMeta.IsValidFieldName(plain) || (prefix is not null && !DocTypeMeta.IsValidFieldName(prefix)))
            throw new DataError($"Field not permitted in query: {field}");
        ColumnRef col;
        if (c.DocType is not null && table is null && prefix is null)
            col = await scope.ResolveInDocTypeAsync(c.DocType, plain, ct);
        else
            col = await scope.ResolveAsync(table, prefix, plain, retarget: true, ct);
        try
        {
            return await SqlAsync(scope, QueryScope.Readable(col), op, c.Value, ct);
        }
        catch (ValidationError e) when (e is not DataError)
        {
            // A value the column cannot hold (a number out of range): the filter is at fault.
            throw new DataError($"Invalid filter value: {e.Message}");
        }
    }

    private static async Task<string> SqlAsync(QueryScope s, ColumnRef col, string op, JsonNode? value, CancellationToken ct)
    {
        var kind = col.Kind ?? ColumnKind.Varchar;
        var c = col.Sql;
        var isText = FieldValue.IsText(kind) || kind == ColumnKind.Json;
        var numeric = FieldValue.IsNumeric(kind);
        var empty = isText ? "''" : numeric ? "0" : null;
        switch (op)
        {
            case "=" or "!=":
                {
                    var v = Value(s, col, value);
                    var isEmpty = v is null || (v is string str && str.Length == 0) || (numeric && v is long l && l == 0) || (numeric && v is decimal m && m == 0);
                    if (op == "=")
                    {
                        if (isEmpty)
                            return empty is null ? $"{c} IS NULL" : $"({c} IS NULL OR {c} = {empty})";
                        return $"{c} = {s.Param(v)}";
                    }
                    if (isEmpty)
                        return empty is null ? $"{c} IS NOT NULL" : $"({c} IS NOT NULL AND {c} <> {empty})";
                    return $"({c} IS NULL OR {c} <> {s.Param(v)})";
                }
            case "<" or ">" or "<=" or ">=":
                {
                    var v = Value(s, col, value, endOfDay: op is "<=" or ">");
                    if (v is null)
                        throw new DataError($"A value is needed for {col.Key} {op}");
                    return numeric ? $"COALESCE({c}, 0) {op} {s.Param(v)}" : $"{c} {op} {s.Param(v)}";
                }
            case "like" or "not like":
                {
                    var pattern = Scalar(value) is { } raw ? FieldValue.Text(raw) ?? "" : "";
                    var target = s.D.Kind == DbKind.Postgres ? $"CAST({c} AS text)" : c;
                    var like = s.D.Kind == DbKind.Postgres ? "ILIKE" : "LIKE";
                    return op == "like"
                        ? $"{target} {like} {s.Param(pattern)}"
                        : $"({c} IS NULL OR {target} NOT {like} {s.Param(pattern)})";
                }
            case "in" or "not in":
                {
                    var items = List(value);
                    var values = items.Where(i => i.Length > 0).Select(i => Value(s, col, JsonValue.Create(i))).Where(v => v is not null).ToList();
                    var hasEmpty = items.Count == 0 || items.Any(i => i.Length == 0);
                    var inList = values.Count == 0 ? null : $"{c} IN ({string.Join(", ", values.Select(s.Param))})";
                    var emptyTest = empty is null ? $"{c} IS NULL" : $"({c} IS NULL OR {c} = {empty})";
                    if (op == "in")
                    {
                        if (inList is null)
                            return emptyTest;
                        return hasEmpty ? $"({inList} OR {emptyTest})" : inList;
                    }
                    if (inList is null)
                        return $"NOT {emptyTest}";
                    return hasEmpty ? $"(NOT {emptyTest} AND NOT {inList})" : $"({c} IS NULL OR NOT {inList})";
                }
            case "is":
                {
                    var what = Scalar(value) is { } raw ? (FieldValue.Text(raw) ?? "").Trim().ToLowerInvariant() : "";
                    return what switch
                    {
                        "set" => empty is null || numeric ? $"{c} IS NOT NULL" : $"({c} IS NOT NULL AND {c} <> {empty})",
                        "not set" => empty is null || numeric ? $"{c} IS NULL" : $"({c} IS NULL OR {c} = {empty})",
                        _ => throw new DataError($"The value of an 'is' filter must be 'set' or 'not set', not '{what}'"),
                    };
                }
            case "between":
                {
                    var items = value switch
                    {
                        JsonArray a => a.Select(n => Scalar(n) is { } x ? FieldValue.Text(x) : null).ToList(),
                        JsonValue v when v.TryGetValue<string>(out var text) => text.Split(',').Select(t => (string?)t.Trim()).ToList(),
                        _ => throw new DataError($"The value of a 'between' filter on {col.Key} must be [from, to]"),
                    };
                    var today = (await SiteTime.OfAsync(s.Context, ct)).Today().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                    var from = items.Count > 0 && !string.IsNullOrEmpty(items[0]) ? items[0]! : today;
                    var to = items.Count > 1 && !string.IsNullOrEmpty(items[1]) ? items[1]! : today;
                    return Between(s, col, from, to);
                }
            case "timespan" or "previous" or "next":
                {
                    var text = Scalar(value) is { } raw ? FieldValue.Text(raw) ?? "" : "";
                    var (from, to) = Timespans.Range(op, text, (await SiteTime.OfAsync(s.Context, ct)).Today());
                    return Between(s, col, from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                }
            default:
                return await TreeAsync(s, col, op, value, ct);
        }
    }

    private static string Between(QueryScope s, ColumnRef col, string from, string to)
    {
        var lo = Value(s, col, JsonValue.Create(from));
        var hi = Value(s, col, JsonValue.Create(to), endOfDay: true);
        return $"{col.Sql} BETWEEN {s.Param(lo)} AND {s.Param(hi)}";
    }

    private static async Task<string> TreeAsync(QueryScope s, ColumnRef col, string op, JsonNode? value, CancellationToken ct)
    {
        var treeName = col.Field == "name" ? col.Meta.Name : col.Meta.Field(col.Field)?.FieldType == "Link" ? col.Meta.Field(col.Field)!.Options : null;
        var tree = treeName is null ? null : await Meta.FindAsync(s.Context, treeName, ct);
        if (tree is null || tree.Field("lft") is null || tree.Field("rgt") is null || tree.Single)
            throw new DataError($"'{op}' needs a tree DocType (with lft and rgt), and {col.Key} is not one");
        var node = Scalar(value) is { } raw ? FieldValue.Text(raw) ?? "" : "";
        var d = s.D;
        var t = d.Quote(tree.TableName);
        string Bound(string side) => $"(SELECT n.{d.Quote(side)} FROM {t} n WHERE n.{d.Quote("name")} = {s.Param(node)})";
        var (l, r) = op switch
        {
            "descendants of" or "not descendants of" => (">", "<"),
            "descendants of (inclusive)" => (">=", "<="),
            _ => ("<", ">"),
        };
        var sub = $"(SELECT x.{d.Quote("name")} FROM {t} x WHERE x.{d.Quote("lft")} {l} {Bound("lft")} AND x.{d.Quote("rgt")} {r} {Bound("rgt")})";
        return op.StartsWith("not ", StringComparison.Ordinal) ? $"({col.Sql} IS NULL OR {col.Sql} NOT IN {sub})" : $"{col.Sql} IN {sub}";
    }

    private static object? Scalar(JsonNode? node)
    {
        var v = FieldValue.Unwrap(node);
        return v is JsonNode ? throw new DataError("A filter value must be a single value here") : v;
    }

    private static List<string> List(JsonNode? value) => value switch
    {
        null => [],
        JsonArray a => a.Select(n => FieldValue.Text(Scalar(n))?.Trim() ?? "").ToList(),
        JsonValue v => (FieldValue.Text(Scalar(v)) ?? "").Split(',').Select(x => x.Trim()).ToList(),
        _ => throw new DataError("The value of an 'in' filter must be a list"),
    };

    /// <summary>A filter value as the column's parameter type; bad numbers or dates are DataErrors.</summary>
    private static object? Value(QueryScope s, ColumnRef col, JsonNode? node, bool endOfDay = false)
    {
        var raw = Scalar(node);
        if (raw is null)
            return null;
        var kind = col.Kind ?? ColumnKind.Varchar;
        try
        {
            if (kind == ColumnKind.BigInt && col.Field == "name")
                return FieldValue.Coerce(ColumnKind.BigInt, raw, col.Key);
            if (FieldValue.IsText(kind) || kind == ColumnKind.Json)
                return FieldValue.Text(raw);
            if (FieldValue.IsNumeric(kind) && raw is string str && str.Trim().Length == 0)
                return 0L;
            var v = FieldValue.Coerce(kind, raw, col.Key);
            if (kind == ColumnKind.Datetime && endOfDay && v is DateTime t && raw is string text && text.Trim().Length == 10)
                v = t.AddDays(1).AddTicks(-10);
            return FieldValue.ToDb(kind, v, s.D.Kind);
        }
        catch (FrappeTypeError e)
        {
            throw new DataError($"Invalid filter value: {e.Message}");
        }
    }
}
