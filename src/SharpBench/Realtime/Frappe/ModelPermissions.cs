using SharpBench.Auth;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Realtime.Frappe;

/// <summary>
/// Subscription checks with the framework's read permission (role DocPerms, if_owner), as
/// Frappe's <c>can_subscribe_doctype</c> / <c>can_subscribe_doc</c> do, except that an
/// <c>if_owner</c> reader is told which rows are theirs instead of being let into the whole list.
/// </summary>
internal sealed class ModelPermissions : IRealtimePermissions
{
    public async Task<Access> DocTypeReadAccessAsync(Site site, string user, string doctype, CancellationToken ct = default)
    {
        if (!DocTypeMeta.IsValidDocTypeName(doctype))
            return Access.None;
        await using var ctx = new FrappeContext(site, user) { ReadOnly = true };
        var meta = await Meta.FindAsync(ctx, doctype, ct);
        // A child table has no list of its own to follow.
        if (meta is null || meta.IsChild)
            return Access.None;
        return await Permissions.AccessAsync(ctx, meta, "read", ct: ct);
    }

    public async Task<bool> CanReadDocAsync(Site site, string user, string doctype, string name, CancellationToken ct = default)
    {
        if (!DocTypeMeta.IsValidDocTypeName(doctype) || string.IsNullOrEmpty(name))
            return false;
        await using var ctx = new FrappeContext(site, user) { ReadOnly = true };
        var meta = await Meta.FindAsync(ctx, doctype, ct);
        if (meta is null || meta.IsVirtual == 1)
            return false;
        var doc = await Documents.FindAsync(ctx, doctype, name, ct);
        return doc is not null && await Permissions.HasAsync(ctx, meta, "read", doc, ct: ct);
    }
}
