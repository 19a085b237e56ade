using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace SharpBench.Model.Queries;

/// <summary>
/// The small grammar clients may use in <c>fields</c>, <c>order_by</c> and <c>group_by</c>, and
/// the checks that reject everything else (frappe/model/db_query.py, sanitize_fields) before any SQL is built.
/// </summary>
internal static partial class SqlText
{
    // Inputs are capped (ListLimits) so every pattern here runs in far less; the timeout is the
    // backstop that turns a pathological match into a 417 instead of a busy thread.
    private const int TimeoutMs = 250;

    // A column reference: `tabX`.`col`, "tabX"."col", tabX.col, prefix.col or col.
    private const string Ref =
        @"(?:(?<table>`tab[^`]{1,61}`|""tab[^""]{1,61}""|tab[A-Za-z0-9_]{1,61})\.(?<col>`[a-z_][a-z0-9_]*`|""[a-z_][a-z0-9_]*""|[a-z_][a-z0-9_]*)"
        + @"|(?<prefix>[a-z_][a-z0-9_]*)\.(?<pcol>[a-z_][a-z0-9_]*)"
        + @"|(?<plain>`[a-z_][a-z0-9_]*`|""[a-z_][a-z0-9_]*""|[a-z_][a-z0-9_]*))";

    [GeneratedRegex(@"^\s*(?:(?<fn>count|sum|avg|min|max)\s*\(\s*(?<distinct>distinct\s+)?(?:(?<star>\*)|" + Ref + @")\s*\)|(?<star2>\*)|" + Ref + @")(?:\s+as\s+(?<alias>[A-Za-z_][A-Za-z0-9_]{0,63}|`[A-Za-z_][A-Za-z0-9_]{0,63}`|""[A-Za-z_][A-Za-z0-9_]{0,63}""))?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeoutMs)]
    private static partial Regex FieldShape();

    [GeneratedRegex(@"^\s*(?:(?<fn>count|sum|avg|min|max)\s*\(\s*(?<distinct>distinct\s+)?(?:(?<star>\*)|" + Ref + @")\s*\)|" + Ref + @")(?:\s+(?<dir>asc|desc))?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeoutMs)]
    private static partial Regex OrderShape();

    [GeneratedRegex(@"\b(?<fn>[a-z_][a-z0-9_]*)\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeoutMs)]
    private static partial Regex FunctionCall();

    [GeneratedRegex(@"\bunion\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex Union();

    [GeneratedRegex(@"^\s*\(?\s*(select|delete|update|drop|create|insert|alter|truncate|with)\b|\s(from|where|join|group\s+by|order\s+by|having|limit|into)\s|\(\s*select\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex SubQuery();

    [GeneratedRegex(@"sleep\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex Sleep();

    [GeneratedRegex(@"^[a-z0-9\-_ ,`'"".()*]*$", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex OrderCharacters();

    // What the grammar made of a text, kept per process: the same list asks the same `fields` and
    // `order_by` on every request, and reading them costs more than the rest of building its SQL
    // (a Match with a Group object for each of the grammar's groups per entry). The parts depend
    // on the text alone, never on a site, user or meta; bounded, since the texts come from clients.
    private const int MaxRemembered = 1024;
    private static readonly ConcurrentDictionary<string, ClauseParts> Fields = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(string What, string Text), ClauseParts?[]> Clauses = new();

    public static readonly HashSet<string> Aggregates = new(StringComparer.OrdinalIgnoreCase) { "count", "sum", "avg", "min", "max" };

    /// <summary>
    /// One <c>fields</c> entry (trimmed) checked and read with the field grammar; a hostile entry
    /// raises Frappe's error, one the grammar cannot read "Field not permitted in query".
    /// </summary>
    public static ClauseParts ReadField(string field)
    {
        if (Fields.TryGetValue(field, out var known))
            return known;
        CheckField(field);
        var m = MatchField(field);
        if (!m.Success)
            throw new DataError($"Field not permitted in query: {field}");
        return Remember(Fields, field, ClauseParts.From(m));
    }

    /// <summary>
    /// <c>order_by</c>/<c>group_by</c> checked as a whole, then each comma-separated part read with
    /// the order grammar: null for a part it refuses (the caller raises "Illegal SQL Query" there).
    /// </summary>
    public static ClauseParts?[] ReadClause(string text, string what)
    {
        if (Clauses.TryGetValue((what, text), out var known))
            return known;
        CheckOrderText(text, what);
        var parts = SplitTopLevel(text);
        var read = new ClauseParts?[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].Trim().Length == 0)
                continue;
            var m = MatchOrder(parts[i]);
            read[i] = m.Success ? ClauseParts.From(m) : null;
        }
        return Remember(Clauses, (what, text), read);
    }

    private static TValue Remember<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, TKey key, TValue value)
        where TKey : notnull
    {
        if (cache.Count >= MaxRemembered)
            cache.Clear();
        cache[key] = value;
        return value;
    }

    /// <summary>Reads one <c>fields</c> entry with the field grammar.</summary>
    public static Match MatchField(string field) => Guard(() => FieldShape().Match(field));

    /// <summary>Reads one comma-separated item of <c>order_by</c>/<c>group_by</c>.</summary>
    public static Match MatchOrder(string part) => Guard(() => OrderShape().Match(part));

    /// <summary>Raises Frappe's error for a hostile field entry; quiet for entries the grammar then reads.</summary>
    public static void CheckField(string field) => Guard(() =>
    {
        ListLimits.CheckText(field, "fields", ListLimits.MaxFieldLength);
        CheckFieldText(field);
        return true;
    });

    private static void CheckFieldText(string field)
    {
        if (field.Contains("/*", StringComparison.Ordinal) || field.Contains("--", StringComparison.Ordinal) || field.Contains('#', StringComparison.Ordinal) || Union().IsMatch(field))
            throw new DataError("Illegal SQL Query");
        if (SubQuery().IsMatch(field) || field.Contains(';', StringComparison.Ordinal) || field.Contains('@', StringComparison.Ordinal))
            throw new DataError("Use of sub-query or function is restricted");
        foreach (Match m in FunctionCall().Matches(field))
        {
            var fn = m.Groups["fn"].Value;
            if (!Aggregates.Contains(fn))
                throw new DataError($"Use of function {fn} in field is restricted");
        }
    }

    /// <summary>Checks applied to the whole text of <c>order_by</c>/<c>group_by</c> before it is parsed.</summary>
    public static void CheckOrderText(string text, string what) => Guard(() =>
    {
        ListLimits.CheckText(text, what.Replace(' ', '_'), ListLimits.MaxClauseLength);
        CheckOrderTextChecked(text, what);
        return true;
    });

    private static void CheckOrderTextChecked(string text, string what)
    {
        var lower = text.ToLowerInvariant();
        if (SelectBeforeFrom(lower))
            throw new DataError($"Cannot use sub-query in {what}");
        if (Sleep().IsMatch(lower))
            throw new DataError($"Cannot use sleep(…) in {what}");
        if (!OrderCharacters().IsMatch(lower) || lower.Contains("/*", StringComparison.Ordinal) || lower.Contains("--", StringComparison.Ordinal) || Union().IsMatch(lower))
            throw new DataError("Illegal SQL Query");
        foreach (Match m in FunctionCall().Matches(lower))
            if (!Aggregates.Contains(m.Groups["fn"].Value))
                throw new DataError($"Use of function {m.Groups["fn"].Value} in {what} is restricted");
    }

    /// <summary>
    /// "select" as a word with "from" as a word somewhere after it: one forward scan, where the
    /// regular expression <c>select\b.*\bfrom\b</c> it replaces backtracked from every "select".
    /// </summary>
    internal static bool SelectBeforeFrom(string lower)
    {
        var select = WordAt(lower, "select", 0);
        return select >= 0 && WordAt(lower, "from", select + "select".Length) >= 0;
    }

    /// <summary>The first index of <paramref name="word"/> at or after <paramref name="start"/> with a word boundary on both sides, or -1.</summary>
    private static int WordAt(string text, string word, int start)
    {
        for (var i = text.IndexOf(word, start, StringComparison.Ordinal); i >= 0; i = text.IndexOf(word, i + 1, StringComparison.Ordinal))
        {
            var end = i + word.Length;
            if ((i == 0 || !IsWordChar(text[i - 1])) && (end == text.Length || !IsWordChar(text[end])))
                return i;
        }
        return -1;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static T Guard<T>(Func<T> check)
    {
        try
        {
            return check();
        }
        catch (RegexMatchTimeoutException)
        {
            throw new DataError("Illegal SQL Query");
        }
    }

    public static string Unquote(string identifier) =>
        identifier.Length >= 2 && (identifier[0] is '`' or '"' or '\'') && identifier[^1] == identifier[0] ? identifier[1..^1] : identifier;

    /// <summary>Splits a comma list at top level (commas inside parentheses stay).</summary>
    public static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }
        parts.Add(text[start..]);
        return parts;
    }
}

/// <summary>
/// One entry of <c>fields</c> or one part of <c>order_by</c>/<c>group_by</c> as the grammar read
/// it: each group's text as written, null where the group did not match.
/// </summary>
internal sealed record ClauseParts(
    string? Fn, string? Distinct, string? Star, string? Star2, string? Table, string? Col,
    string? Prefix, string? PCol, string? Plain, string? Alias, string? Dir)
{
    public static ClauseParts From(Match m)
    {
        string? G(string name) => m.Groups[name] is { Success: true } g ? g.Value : null;
        return new(G("fn"), G("distinct"), G("star"), G("star2"), G("table"), G("col"), G("prefix"), G("pcol"), G("plain"), G("alias"), G("dir"));
    }
}
