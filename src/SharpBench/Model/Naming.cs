using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>
/// Frappe's naming rules (frappe/model/naming.py): <c>hash</c>, <c>field:x</c>, <c>naming_series:</c>,
/// <c>PREFIX-.#####</c> series counted in <c>tabSeries</c>, <c>format:</c>, <c>Prompt</c> and
/// <c>autoincrement</c>, plus the checks every name must pass.
/// </summary>
public static class Naming
{
    private const string Base32Hex = "0123456789abcdefghijklmnopqrstuv";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>10 random characters of lower-case base32hex, as Frappe's <c>hash</c> names.</summary>
    public static string Hash(int length = 10) => RandomNumberGenerator.GetString(Base32Hex, length);

    /// <summary>Series key of an autoincrement DocType (Frappe uses a DB sequence; we count in tabSeries).</summary>
    public static string AutoincrementKey(string doctype) => "__autoincrement__" + doctype;

    /// <summary>Increments and returns the counter of a series; the row lock serialises concurrent inserts.</summary>
    public static async Task<long> NextAsync(Database db, string key, Func<Task<long>>? initial = null, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var table = d.Quote("tabSeries");
        var lockSql = d.Kind == DbKind.Sqlite ? "" : " FOR UPDATE";
        var current = await db.ScalarAsync($"SELECT {d.Quote("current")} FROM {table} WHERE {d.Quote("name")} = @p0{lockSql}", [key], ct);
        if (current is null)
        {
            var start = initial is null ? 0 : await initial();
            var upsert = d.Kind == DbKind.MariaDb
                ? $"INSERT INTO {table} ({d.Quote("name")}, {d.Quote("current")}) VALUES (@p0, @p1) ON DUPLICATE KEY UPDATE {d.Quote("current")} = {d.Quote("current")} + 1"
                : $"INSERT INTO {table} ({d.Quote("name")}, {d.Quote("current")}) VALUES (@p0, @p1) ON CONFLICT ({d.Quote("name")}) DO UPDATE SET {d.Quote("current")} = {table}.{d.Quote("current")} + 1";
            await db.ExecuteAsync(upsert, [key, start + 1], ct);
        }
        else
        {
            await db.ExecuteAsync($"UPDATE {table} SET {d.Quote("current")} = {d.Quote("current")} + 1 WHERE {d.Quote("name")} = @p0", [key], ct);
        }
        return Convert.ToInt64(await db.ScalarAsync($"SELECT {d.Quote("current")} FROM {table} WHERE {d.Quote("name")} = @p0", [key], ct), Inv);
    }

    /// <summary>The current value of a series (0 when it was never used).</summary>
    public static async Task<long> CurrentAsync(Database db, string key, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var v = await db.ScalarAsync($"SELECT {d.Quote("current")} FROM {d.Quote("tabSeries")} WHERE {d.Quote("name")} = @p0", [key], ct);
        return v is null ? 0 : Convert.ToInt64(v, Inv);
    }

    /// <summary>Picks the name of a new document following its DocType's <c>autoname</c>.</summary>
    internal static async Task<string> NewNameAsync(FrappeContext ctx, Document doc, string? controllerName, CancellationToken ct)
    {
        var meta = doc.Meta;
        var db = await ctx.DbAsync(ct);
        if (meta.Single)
            return meta.Name;
        var autoname = (meta.Autoname ?? "").Trim();
        if (autoname.Equals("autoincrement", StringComparison.OrdinalIgnoreCase))
        {
            var d = db.Dialect;
            var next = await NextAsync(db, AutoincrementKey(meta.Name), async () =>
                Convert.ToInt64(await db.ScalarAsync($"SELECT COALESCE(MAX({d.Quote("name")}), 0) FROM {d.Quote(meta.TableName)}", [], ct) ?? 0L, Inv), ct);
            return next.ToString(Inv);
        }
        if (controllerName is not null)
            return ValidateName(meta, controllerName);
        // Integer names stay the database's to give.
        if (doc.Flags.NameSet && !string.IsNullOrWhiteSpace(doc.NewName))
            return ValidateName(meta, doc.NewName);
        if (meta.IsChild || autoname.Length == 0 || autoname.Equals("hash", StringComparison.OrdinalIgnoreCase))
            return Hash();
        if (autoname.Equals("prompt", StringComparison.OrdinalIgnoreCase))
        {
            var chosen = doc.NewName ?? doc.Name;
            if (string.IsNullOrWhiteSpace(chosen))
                throw new ValidationError("Please set the document name");
            return ValidateName(meta, chosen);
        }
        if (autoname.StartsWith("field:", StringComparison.OrdinalIgnoreCase))
        {
            var fieldName = autoname[6..].Trim();
            var field = meta.Field(fieldName);
            var value = FieldValue.Text(doc.Get(fieldName))?.Trim();
            if (string.IsNullOrEmpty(value))
                throw new MandatoryError($"{field?.Label ?? fieldName} is required", [$"{field?.Label ?? fieldName} is required"]);
            return ValidateName(meta, value);
        }
        if (autoname.StartsWith("naming_series:", StringComparison.OrdinalIgnoreCase))
        {
            var series = FieldValue.Text(doc.Get("naming_series"))?.Trim();
            if (string.IsNullOrEmpty(series))
                series = meta.Field("naming_series")?.Default ?? FirstOption(meta.Field("naming_series")?.Options);
            if (string.IsNullOrEmpty(series))
                throw new MandatoryError("Naming Series is required", ["Naming Series is required"]);
            var options = meta.Field("naming_series")?.Options;
            if (!string.IsNullOrWhiteSpace(options) && !options.Split('\n').Select(o => o.Trim()).Contains(series))
                throw new ValidationError($"Naming Series {series} is not one of the options of {meta.Name}");
            return ValidateName(meta, await SeriesAsync(db, doc, series.Contains('#', StringComparison.Ordinal) ? series : series.TrimEnd('.') + ".#####", ct));
        }
        if (autoname.StartsWith("format:", StringComparison.OrdinalIgnoreCase))
            return ValidateName(meta, await FormatAsync(db, doc, autoname[7..], ct));
        if (autoname.Contains('#', StringComparison.Ordinal))
            return ValidateName(meta, await SeriesAsync(db, doc, autoname, ct));
        // An unknown rule names nothing useful; Frappe falls back to a random name too.
        return Hash();
    }

    private static string? FirstOption(string? options) =>
        options?.Split('\n').Select(o => o.Trim()).FirstOrDefault(o => o.Length > 0);

    /// <summary>Old-style series: parts separated by '.', a '#' run is the counter of everything before it.</summary>
    public static async Task<string> SeriesAsync(Database db, Document? doc, string pattern, CancellationToken ct = default)
    {
        var time = doc?.Time ?? SiteTime.Server with { Zone = await SiteTime.ZoneAsync(db, ct) };
        var name = new StringBuilder();
        foreach (var part in pattern.Split('.'))
        {
            if (part.Length == 0)
                continue;
            if (part[0] == '#')
            {
                var digits = part.TakeWhile(c => c == '#').Count();
                var n = await NextAsync(db, name.ToString(), null, ct);
                name.Append(n.ToString(new string('0', digits), Inv)).Append(part[digits..]);
            }
            else
            {
                name.Append(Token(time, doc, part));
            }
        }
        return name.ToString();
    }

    /// <summary><c>format:</c> names: each <c>{…}</c> is a date part, a field value or a counter of the text before it.</summary>
    public static async Task<string> FormatAsync(Database db, Document? doc, string pattern, CancellationToken ct = default)
    {
        var time = doc?.Time ?? SiteTime.Server with { Zone = await SiteTime.ZoneAsync(db, ct) };
        var name = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var open = pattern.IndexOf('{', i);
            if (open < 0)
            {
                name.Append(pattern, i, pattern.Length - i);
                break;
            }
            var close = pattern.IndexOf('}', open);
            if (close < 0)
            {
                name.Append(pattern, i, pattern.Length - i);
                break;
            }
            name.Append(pattern, i, open - i);
            var inner = pattern[(open + 1)..close].Trim();
            if (inner.Length > 0 && inner.All(c => c == '#'))
            {
                var n = await NextAsync(db, name.ToString(), null, ct);
                name.Append(n.ToString(new string('0', inner.Length), Inv));
            }
            else
            {
                name.Append(Token(time, doc, inner, braces: true));
            }
            i = close + 1;
        }
        return name.ToString();
    }

    private static string Token(SiteTime time, Document? doc, string part, bool braces = false)
    {
        var today = time.Now();
        switch (part)
        {
            case "YY": return today.ToString("yy", Inv);
            case "YYYY": return today.ToString("yyyy", Inv);
            case "MM": return today.ToString("MM", Inv);
            case "DD": return today.ToString("dd", Inv);
            case "WW": return ISOWeek.GetWeekOfYear(today).ToString("00", Inv);
            case "timestamp": return time.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(Inv);
            case "hash": return Hash();
        }
        if (part.Length > 2 && part[0] == '{' && part[^1] == '}')
            return FieldValue.Text(doc?.Get(part[1..^1].Trim())) ?? "";
        if (doc is not null && DocTypeMeta.IsValidFieldName(part) && doc.Meta.Field(part) is not null)
            return FieldValue.Text(doc.Get(part)) ?? "";
        return braces ? "" : part;
    }

    /// <summary>Name rules every name must pass (frappe/model/naming.py); returns the trimmed name.</summary>
    public static string ValidateName(DocTypeMeta meta, string name)
    {
        name = name.Trim();
        if (name.Length == 0)
            throw new ValidationError("Please set the document name");
        if (name.Contains('<', StringComparison.Ordinal) || name.Contains('>', StringComparison.Ordinal))
            throw new NameError($"Name {name} contains special characters < or >, which are not allowed");
        if (name.Any(char.IsControl))
            throw new InvalidNameError("A name may not contain line breaks or control characters");
        if (name.Length > 140)
            throw new InvalidNameError($"Name is too long: {name.Length} characters (at most 140)");
        if (!meta.Single && string.Equals(name, meta.Name, StringComparison.OrdinalIgnoreCase))
            throw new NameError($"Name of {meta.Name} cannot be {name}");
        return name;
    }
}
