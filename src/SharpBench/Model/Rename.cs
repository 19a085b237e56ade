using SharpBench.Auth;
using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>
/// Frappe's <c>rename_doc</c>: changes a document's name and every Link (and Dynamic Link) that
/// points at it, child rows and stored secrets included; with <c>merge</c>, folds it into an
/// existing document of the new name.
/// </summary>
public static class Rename
{
    public static async Task<string> RenameAsync(FrappeContext ctx, string doctype, string oldName, string newName, bool merge = false, bool ignorePermissions = false, CancellationToken ct = default)
    {
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        if (meta.Single || meta.IsChild || meta.IsVirtual == 1)
            throw new ValidationError($"{doctype} documents cannot be renamed");
        if (doctype == "DocType")
            throw new ValidationError("Renaming a DocType is not supported; create a new one");
        if (meta.AllowRename != 1)
            throw new ValidationError($"{doctype} not allowed to be renamed");
        if (meta.Autoname == "autoincrement")
            throw new ValidationError($"{doctype} uses autoincrement names, which cannot be renamed");
        var doc = await Documents.LoadAsync(ctx, meta, oldName, forUpdate: true, ct) ?? throw new DoesNotExistError($"{doctype} {oldName} not found");
        if (!ignorePermissions)
            await Permissions.CheckAsync(ctx, meta, "write", doc, ct: ct);
        newName = Naming.ValidateName(meta, newName);
        oldName = doc.Name!;
        if (newName == oldName)
            return newName;
        var db = await ctx.DbAsync(ct);
        var d = db.Dialect;
        var exists = await RowStore.ExistsAsync(db, meta, newName, ct);
        if (exists && !merge && !string.Equals(newName, oldName, StringComparison.OrdinalIgnoreCase))
            throw new DuplicateEntryError($"{doctype} <strong>{newName}</strong> already exists");
        if (merge && !exists)
            throw new ValidationError($"{doctype} {newName} does not exist, select a new target to merge");
        if (merge && !ignorePermissions)
        {
            var target = await Documents.LoadAsync(ctx, meta, newName, false, ct);
            await Permissions.CheckAsync(ctx, meta, "write", target, ct: ct);
        }

        var controller = DocEvents.ControllerOf(ctx, doctype);
        if (controller is not null)
            await controller.BeforeRenameAsync(ctx, doc, oldName, newName, ct);

        foreach (var f in meta.TableFields)
        {
            var child = doc.ChildMetaOf(f.FieldName);
            if (merge)
            {
                await RowStore.DeleteChildrenAsync(db, child, oldName, doctype, f.FieldName, ct);
                continue;
            }
            await db.ExecuteAsync(
                $"UPDATE {d.Quote(child.TableName)} SET {d.Quote("parent")} = @p0 WHERE {d.Quote("parent")} = @p1 AND {d.Quote("parenttype")} = @p2",
                [newName, oldName, doctype], ct);
        }
        if (merge)
        {
            await RowStore.DeleteAsync(db, meta, oldName, ct);
            await Passwords.DeleteAsync(db, doctype, oldName, null, ct);
        }
        else
        {
            await db.ExecuteAsync($"UPDATE {d.Quote(meta.TableName)} SET {d.Quote("name")} = @p0 WHERE {d.Quote("name")} = @p1", [newName, oldName], ct);
            await Passwords.RenameAsync(db, doctype, oldName, newName, ct);
            if (doctype == "User")
                await Passwords.RenameAsync(db, "User", oldName, newName, ct);
        }

        foreach (var link in await Meta.LinksToAsync(ctx, doctype, ct))
        {
            var other = await Meta.FindAsync(ctx, link.DocType, ct);
            if (other is null)
                continue;
            if (link.Single)
            {
                await Singles.RenameValueAsync(db, other.Name, link.FieldName, oldName, newName, ct);
                continue;
            }
            var sql = $"UPDATE {d.Quote(other.TableName)} SET {d.Quote(link.FieldName)} = @p0 WHERE {d.Quote(link.FieldName)} = @p1";
            if (link.DynamicOptionsField is null)
                await db.ExecuteAsync(sql, [newName, oldName], ct);
            else
                await db.ExecuteAsync(sql + $" AND {d.Quote(link.DynamicOptionsField)} = @p2", [newName, oldName, doctype], ct);
        }

        var renamed = await Documents.LoadAsync(ctx, meta, newName, false, ct);
        if (renamed is not null)
        {
            if (controller is not null)
                await controller.AfterRenameAsync(ctx, renamed, oldName, newName, ct);
            await DocEvents.RunAsync(ctx, renamed, DocEvents.AfterRename, ct);
        }
        return newName;
    }
}
