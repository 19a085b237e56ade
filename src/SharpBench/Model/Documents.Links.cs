using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>The back-link check of delete and cancel: what still points at a document.</summary>
public static partial class Documents
{
    /// <summary>
    /// Refuses to delete (or cancel) a document other documents still link to. Cancelled linking
    /// documents do not count; for cancel only submitted ones do (Frappe's back-link check).
    /// </summary>
    private static async Task CheckNoLinksAsync(FrappeContext ctx, Document doc, bool submittedOnly, CancellationToken ct)
    {
        var db = await ctx.DbAsync(ct);
        var d = db.Dialect;
        foreach (var link in await Meta.LinksToAsync(ctx, doc.DocType, ct))
        {
            if (link.DynamicOptionsField is not null && link.DocType == doc.DocType)
                continue;
            var meta = await Meta.FindAsync(ctx, link.DocType, ct);
            if (meta is null)
                continue;
            if (link.Single)
            {
                if (submittedOnly)
                    continue;
                if (await Singles.HoldsAsync(db, meta.Name, link.FieldName, doc.Name!, ct))
                    throw new LinkExistsError($"Cannot delete or cancel because {doc.DocType} {doc.Name} is linked with {meta.Name}");
                continue;
            }
            var select = link.Child ? $"{d.Quote("parent")} AS p, {d.Quote("parenttype")} AS pt" : $"{d.Quote("name")} AS p, NULL AS pt";
            var sql = $"SELECT {select} FROM {d.Quote(meta.TableName)} WHERE {d.Quote(link.FieldName)} = @p0";
            var args = new List<object?> { doc.Name };
            if (link.DynamicOptionsField is not null)
            {
                sql += $" AND {d.Quote(link.DynamicOptionsField)} = @p{args.Count}";
                args.Add(doc.DocType);
            }
            sql += submittedOnly ? $" AND {d.Quote("docstatus")} = 1" : $" AND {d.Quote("docstatus")} <> 2";
            if (meta.Name == doc.DocType)
            {
                sql += $" AND {d.Quote("name")} <> @p{args.Count}";
                args.Add(doc.Name);
            }
            if (link.Child)
            {
                sql += $" AND NOT ({d.Quote("parenttype")} = @p{args.Count} AND {d.Quote("parent")} = @p{args.Count + 1})";
                args.Add(doc.DocType);
                args.Add(doc.Name);
            }
            var rows = await db.QueryAsync(sql + " LIMIT 1", args, ct);
            if (rows.Count > 0)
            {
                var other = link.Child ? $"{rows[0]["pt"]} {rows[0]["p"]}" : $"{meta.Name} {rows[0]["p"]}";
                throw new LinkExistsError($"Cannot delete or cancel because {doc.DocType} {doc.Name} is linked with {other}");
            }
        }
    }
}
