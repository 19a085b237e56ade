using SharpBench.Auth;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Realtime.Frappe;

/// <summary>
/// Subscription checks with the framework's read permission (role DocPerms, if_owner), as
/// Frappe's <c>can_subscribe_doctype</c> / <c>can_subscribe_doc</c> do.
/// </summary>
public sealed class ModelPermissions : IRealtimePermissions
{
    public async Task<bool> CanReadDocTypeAsync(Site site, string user, string doctype, CancellationToken ct = default)
    {
        if (!DocTypeMeta.IsValidDocTypeName(doctype))
            return false;
        await using var ctx = new FrappeContext(site, user) { ReadOnly = true };
        var meta = await Meta.FindAsync(ctx, doctype, ct);
        return meta is not null && await Permissions.HasAsync(ctx, meta, "read", ct: ct);
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
