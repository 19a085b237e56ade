using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>
/// Frappe's checks before a document is written: mandatory fields, Select options, Data length,
/// Link existence and unique values, for the document and every child row. Errors are raised
/// before any SQL that changes data runs.
/// </summary>
internal static class Validation
{
    public static async Task RunAsync(FrappeContext ctx, Document doc, bool mandatory, CancellationToken ct)
    {
        var missing = new List<(Document Doc, DocField Field)>();
        foreach (var d in Family(doc))
        {
            CheckValues(d);
            if (mandatory && !doc.Flags.IgnoreMandatory)
                missing.AddRange(Missing(d).Select(f => (d, f)));
        }
        if (missing.Count > 0)
        {
            var messages = missing.Select(m => m.Doc.Meta.IsChild
                ? $"Error: Value missing for {m.Doc.Meta.Name}, Row {m.Doc.Idx}: {m.Field.Label ?? m.Field.FieldName}"
                : $"Error: Value missing for {m.Doc.DocType}: {m.Field.Label ?? m.Field.FieldName}").ToList();
            throw new MandatoryError($"[{doc.DocType}, {doc.Name}]: {string.Join(", ", missing.Select(m => m.Field.FieldName))}", messages);
        }
        if (!doc.Flags.IgnoreLinks)
            foreach (var d in Family(doc))
                await CheckLinksAsync(ctx, d, ct);
        await CheckUniqueAsync(ctx, doc, ct);
    }

    private static IEnumerable<Document> Family(Document doc) =>
        new[] { doc }.Concat(doc.TableFields.SelectMany(doc.Table));

    private static IEnumerable<DocField> Missing(Document d)
    {
        foreach (var f in d.Meta.Fields)
        {
            if (f.Reqd != 1)
                continue;
            if (f.IsTable)
            {
                if (d.Table(f.FieldName).Count == 0)
                    yield return f;
                continue;
            }
            if (f.Storage is null)
                continue;
            var v = d.Get(f.FieldName);
            // Frappe treats 0 in a mandatory number as missing only for Link-like text; numbers may be 0.
            if (v is null || (v is string s && s.Trim().Length == 0))
                yield return f;
        }
    }

    private static void CheckValues(Document d)
    {
        foreach (var f in d.Meta.DataFields)
        {
            var v = d.Get(f.FieldName);
            CheckRange(f, v);
            if (v is not string s || s.Length == 0)
                continue;
            if (f.Storage == ColumnKind.Varchar)
            {
                var max = f.Length > 0 ? f.Length : 140;
                if (s.Length > max)
                    throw new CharacterLengthExceededError($"{f.Label ?? f.FieldName}: value is {s.Length} characters long, at most {max} are allowed");
            }
            if (f.FieldType == "Select" && !string.IsNullOrEmpty(f.Options))
            {
                var options = f.Options.Split('\n').Select(o => o.Trim()).ToList();
                if (!options.Contains(s))
                    throw new ValidationError($"{f.Label ?? f.FieldName} cannot be \"{s}\". It should be one of \"{string.Join("\", \"", options.Where(o => o.Length > 0))}\"");
            }
        }
    }

    // The narrowest column each kind gets on any of the three databases (MariaDB int(11),
    // decimal(21,9), decimal(3,2)): a value past it would be the database's error, a 500.
    private static readonly decimal MaxDecimal = 1_000_000_000_000m;

    private static void CheckRange(DocField f, object? v)
    {
        var (fits, range) = (f.Storage, v) switch
        {
            (ColumnKind.Int, long l) => (l is >= int.MinValue and <= int.MaxValue, "-2147483648 to 2147483647"),
            (ColumnKind.Decimal, decimal m) => (Math.Abs(m) < MaxDecimal, "less than 1e12 either side of zero"),
            (ColumnKind.Rating, decimal m) => (Math.Abs(m) < 10m, "0 to 1"),
            _ => (true, ""),
        };
        if (!fits)
            throw new ValidationError($"{f.Label ?? f.FieldName}: {FieldValue.Text(v)} is out of range ({range})");
    }

    private static async Task CheckLinksAsync(FrappeContext ctx, Document d, CancellationToken ct)
    {
        foreach (var f in d.Meta.DataFields)
        {
            if (f.FieldType is not ("Link" or "Dynamic Link"))
                continue;
            if (d.Get(f.FieldName) is not string value || value.Length == 0)
                continue;
            var target = f.FieldType == "Link" ? f.Options : d.GetString(f.Options ?? "");
            if (string.IsNullOrEmpty(target))
                throw new LinkValidationError($"{f.Label ?? f.FieldName}: the DocType to link to is not set");
            if (!await LinkExistsAsync(ctx, target, value, ct))
                throw new LinkValidationError($"Could not find {f.Label ?? f.FieldName}: {value}");
        }
    }

    internal static async Task<bool> LinkExistsAsync(FrappeContext ctx, string doctype, string name, CancellationToken ct)
    {
        if (doctype == "DocType")
            return await Meta.ExistsAsync(ctx, name, ct);
        var meta = await Meta.FindAsync(ctx, doctype, ct);
        if (meta is null)
            return false;
        if (meta.Single)
            return name == meta.Name;
        if (meta.IsVirtual == 1)
            return true;
        var db = await ctx.DbAsync(ct);
        return await RowStore.ExistsAsync(db, meta, name, ct);
    }

    private static async Task CheckUniqueAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        if (doc.Meta.Single)
            return;
        Database? db = null;
        foreach (var f in doc.Meta.DataFields.Where(f => f.Unique == 1))
        {
            var v = doc.Get(f.FieldName);
            if (v is null || (v is string s && s.Length == 0))
                continue;
            db ??= await ctx.DbAsync(ct);
            var d = db.Dialect;
            var kind = f.Storage;
            var sql = $"SELECT {d.Quote("name")} FROM {d.Quote(doc.Meta.TableName)} WHERE {d.Quote(f.FieldName)} = @p0";
            var args = new List<object?> { FieldValue.ToDb(kind, v, d.Kind) };
            if (doc.Name is not null)
            {
                sql += $" AND {d.Quote("name")} <> @p1";
                args.Add(RowStore.NameParam(doc.Meta, doc.Name, d.Kind));
            }
            if (await db.ScalarAsync(sql + " LIMIT 1", args, ct) is not null)
                throw new UniqueValidationError($"{f.Label ?? f.FieldName} must be unique: {FieldValue.Text(v)} is already used");
        }
    }
}
