namespace SharpBench.Model;

/// <summary>
/// Field-level permissions (DocField <c>permlevel</c>), as Frappe applies them: on read, fields
/// at a level the user may not read are left out of documents and lists; on write, fields at a
/// level the user may not write keep their stored value (a new document: the default). Only
/// fields that hold data count; Administrator sees and writes everything.
/// </summary>
public static class FieldPermissions
{
    private static readonly IReadOnlySet<string> NoFields = new HashSet<string>(StringComparer.Ordinal);

    private static bool HasHigherLevels(DocTypeMeta meta) => meta.Fields.Any(f => f.PermLevel > 0);

    /// <summary>
    /// The fields of <paramref name="meta"/> the session user may not <paramref name="ptype"/>
    /// (read or write); a child DocType is judged through <paramref name="parentDocType"/>.
    /// </summary>
    public static async Task<IReadOnlySet<string>> DeniedAsync(FrappeContext ctx, DocTypeMeta meta, string ptype, string? parentDocType = null, CancellationToken ct = default)
    {
        if (ctx.IsAdministrator || !HasHigherLevels(meta))
            return NoFields;
        var levels = await Permissions.LevelsAsync(ctx, meta, ptype, parentDocType, ct);
        var denied = meta.Fields
            .Where(f => f.PermLevel > 0 && !levels.Allows(f.PermLevel) && (f.Storage is not null || f.IsTable))
            .Select(f => f.FieldName)
            .ToHashSet(StringComparer.Ordinal);
        return denied.Count == 0 ? NoFields : denied;
    }

    /// <summary>What to leave out when <paramref name="doc"/> is shown to the session user.</summary>
    public static async Task<FieldMask> ReadMaskAsync(FrappeContext ctx, Document doc, CancellationToken ct = default)
    {
        if (ctx.IsAdministrator)
            return FieldMask.None;
        var parentType = doc.Meta.IsChild ? doc.ParentType ?? doc.ParentDocument?.DocType : null;
        var hidden = await DeniedAsync(ctx, doc.Meta, "read", parentType, ct);
        var inTables = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var tf in doc.Meta.TableFields)
        {
            if (hidden.Contains(tf.FieldName))
                continue;
            var childHidden = await DeniedAsync(ctx, doc.ChildMetaOf(tf.FieldName), "read", doc.DocType, ct);
            if (childHidden.Count > 0)
                inTables[tf.FieldName] = childHidden;
        }
        var mask = new FieldMask(hidden, inTables);
        return mask.IsEmpty ? FieldMask.None : mask;
    }

    /// <summary>
    /// Puts back the stored value (for a new document or a new row: the default) of every field
    /// the session user may not write, before the document is validated and saved. Frappe keeps
    /// new child rows as sent; we give them their defaults too, so a row cannot carry a value its
    /// writer may not set.
    /// </summary>
    public static async Task ResetUnwritableAsync(FrappeContext ctx, Document doc, CancellationToken ct = default)
    {
        if (ctx.IsAdministrator)
            return;
        var denied = await DeniedAsync(ctx, doc.Meta, "write", null, ct);
        var deniedInTables = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var tf in doc.Meta.TableFields)
        {
            if (denied.Contains(tf.FieldName))
                continue;
            var childDenied = await DeniedAsync(ctx, doc.ChildMetaOf(tf.FieldName), "write", doc.DocType, ct);
            if (childDenied.Count > 0)
                deniedInTables[tf.FieldName] = childDenied;
        }
        if (denied.Count == 0 && deniedInTables.Count == 0)
            return;

        var stored = doc.IsNew || doc.Name is null ? null : await Documents.FindAsync(ctx, doc.DocType, doc.Name, ct);
        var reference = stored ?? await Documents.BlankAsync(ctx, doc.Meta, ct);
        foreach (var field in denied)
        {
            var f = doc.Meta.Field(field)!;
            if (f.IsTable)
            {
                // The stored rows, as loaded: the client's version of the table is dropped whole.
                doc.Set(field, reference.Table(field).ToList());
                continue;
            }
            doc.PendingPasswords.Remove(field);
            doc.SetRaw(field, reference.Get(field));
        }
        foreach (var (table, fields) in deniedInTables)
        {
            var storedRows = reference.Table(table).Where(r => r.Name is not null).ToDictionary(r => r.Name!, StringComparer.Ordinal);
            var blank = Documents.BlankRow(doc.ChildMetaOf(table));
            foreach (var row in doc.Table(table))
            {
                var from = row.Name is not null && storedRows.TryGetValue(row.Name, out var old) ? old : blank;
                foreach (var field in fields)
                {
                    if (row.Meta.Field(field)!.IsTable)
                        continue;
                    row.PendingPasswords.Remove(field);
                    row.SetRaw(field, from.Get(field));
                }
            }
        }
    }
}
