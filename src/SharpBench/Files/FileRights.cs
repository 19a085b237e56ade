using SharpBench.Auth;
using SharpBench.Model;

namespace SharpBench.Files;

/// <summary>
/// Frappe's <c>File.is_downloadable</c> (file.py <c>has_permission</c>): a public file is for
/// anyone; a private one for its owner, Administrator, and whoever may read (or, to change it,
/// write) the document it is attached to.
/// </summary>
public static class FileRights
{
    public static async Task<bool> CanReadAsync(FrappeContext ctx, Document file, string ptype = "read", CancellationToken ct = default)
    {
        if (file.GetInt("is_private") == 0 || ctx.IsAdministrator || (!ctx.IsGuest && file.Owner == ctx.User))
            return true;
        var doctype = file.GetString("attached_to_doctype");
        var name = file.GetString("attached_to_name");
        if (string.IsNullOrEmpty(doctype) || string.IsNullOrEmpty(name) || await Meta.FindAsync(ctx, doctype, ct) is not { } meta)
            return false;
        var attached = await Documents.FindAsync(ctx, doctype, name, ct);
        if (attached is null)
            return false;
        return await Permissions.HasAsync(ctx, meta, ptype is "write" or "create" or "delete" ? "write" : "read", attached, ct: ct);
    }

    /// <summary>File records with this URL (narrowed to <paramref name="fid"/> when given).</summary>
    public static async Task<List<Document>> WithUrlAsync(FrappeContext ctx, string fileUrl, string? fid, CancellationToken ct)
    {
        var db = await ctx.DbAsync(ct);
        var d = db.Dialect;
        var sql = $"SELECT {d.Quote("name")} FROM {d.Quote("tabFile")} WHERE {d.Quote("file_url")} = @p0";
        var args = new List<object?> { fileUrl };
        if (!string.IsNullOrEmpty(fid))
        {
            sql += $" AND {d.Quote("name")} = @p1";
            args.Add(fid);
        }
        var found = new List<Document>();
        foreach (var row in await db.QueryValuesAsync(sql + $" ORDER BY {d.Quote("creation")}", args, ct))
            if (row[0] is string name && await Documents.FindAsync(ctx, "File", name, ct) is { } doc)
                found.Add(doc);
        return found;
    }

    /// <summary>Whether any File record with this URL may be read by the session user.</summary>
    public static async Task<bool> CanReadUrlAsync(FrappeContext ctx, string fileUrl, string? fid, CancellationToken ct)
    {
        foreach (var file in await WithUrlAsync(ctx, fileUrl, fid, ct))
            if (await CanReadAsync(ctx, file, ct: ct))
                return true;
        return false;
    }
}
