using SharpBench.Auth;
using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>Single DocTypes (System Settings, …): one document whose values live in <see cref="Singles"/>, not a table of its own.</summary>
public static partial class Documents
{
    private static async Task<Document> LoadSingleAsync(FrappeContext ctx, DocTypeMeta meta, CancellationToken ct)
    {
        var db = await ctx.DbAsync(ct);
        var d = db.Dialect;
        var stored = await Singles.GetAllAsync(db, meta.Name, ct);
        var doc = await CreateAsync(ctx, meta, ct);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = meta.Name };
        foreach (var (field, value) in stored)
        {
            if (FieldValue.KindOf(meta, field) is not { } kind || field == "name")
                continue;
            values[field] = FieldValue.FromDb(kind, value);
        }
        foreach (var (k, v) in values)
            doc.SetRaw(k, v);
        // Fields never saved (a new Single, or a field added later) read as their defaults.
        ApplyDefaults(doc, ctx);
        Fill(doc, new Dictionary<string, object?>(doc.RawValues, StringComparer.Ordinal));
        foreach (var f in meta.TableFields)
        {
            var childMeta = doc.ChildMetaOf(f.FieldName);
            var list = doc.TableList(f.FieldName);
            foreach (var r in await RowStore.ChildrenAsync(db, childMeta, meta.Name, meta.Name, f.FieldName, ct))
            {
                var child = new Document(childMeta) { ParentDocument = doc };
                Fill(child, r);
                list.Add(child);
            }
        }
        return doc;
    }

    private static async Task<Document> SaveSingleAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        var meta = doc.Meta;
        if (!doc.Flags.IgnorePermissions)
        {
            await Permissions.CheckAsync(ctx, meta, "write", ct: ct);
            await FieldPermissions.ResetUnwritableAsync(ctx, doc, ct);
        }
        if (doc.DocStatus != 0)
            throw new DocstatusTransitionError($"{meta.Name} is a Single DocType and cannot be submitted");
        var db = await ctx.DbAsync(ct);
        var d = db.Dialect;
        var stored = await Singles.GetAsync(db, meta.Name, "modified", ct);
        if (stored is not null)
            CheckTimestamp(doc, FieldValue.FromDb(ColumnKind.Datetime, stored) as DateTime?);
        var now = (await SiteTime.OfAsync(ctx, ct)).Now();
        doc.Name = meta.Name;
        doc.Owner ??= ctx.User;
        doc.Creation ??= now;
        doc.Modified = now;
        doc.ModifiedBy = ctx.User;
        PrepareChildren(ctx, doc, now, false);
        await DocEvents.RunAsync(ctx, doc, DocEvents.Validate, ct);
        await DocEvents.RunAsync(ctx, doc, DocEvents.BeforeSave, ct);
        PrepareChildren(ctx, doc, now, false);
        ContentSanitizer.Apply(doc, allowOnSubmitOnly: false);
        await Validation.RunAsync(ctx, doc, true, ct);

        await Singles.ReplaceAsync(db, meta.Name, ColumnValues(doc)
            .Where(c => c.Key is not ("name" or "docstatus" or "idx") && c.Value is not null)
            .Select(c => (c.Key, FieldValue.Text(c.Value))).ToList(), ct);
        await WriteChildrenAsync(db, doc, true, ct);
        await Passwords.FlushAsync(ctx, doc, ct);
        var wasNew = doc.IsNew;
        doc.IsNew = false;
        Snapshot(doc);
        if (wasNew)
            await DocEvents.RunAsync(ctx, doc, DocEvents.AfterInsert, ct);
        await DocEvents.RunAsync(ctx, doc, DocEvents.OnUpdate, ct);
        await DocEvents.RunAsync(ctx, doc, DocEvents.OnChange, ct);
        return doc;
    }
}
