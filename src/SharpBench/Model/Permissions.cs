namespace SharpBench.Model;

/// <summary>How much of a DocType a user may reach with one right.</summary>
public enum Access
{
    None,

    /// <summary>Only documents the user owns (DocPerm rows with <c>if_owner</c>).</summary>
    OwnerOnly,
    All,
}

/// <summary>
/// Role permissions (frappe/permissions.py), the one check every read, list, count and write path uses:
/// a right is granted by any DocPerm row at permlevel 0 for one of the user's roles; rows with
/// <c>if_owner</c> grant it on the user's own documents only; child DocTypes are checked through
/// their parent; Administrator may do everything.
/// </summary>
public static class Permissions
{
    public static readonly IReadOnlyList<string> Rights =
        ["read", "write", "create", "delete", "submit", "cancel", "amend", "select", "report", "export", "import", "share", "print", "email"];

    private const string RolesKey = "sharpbench.roles:";

    /// <summary>
    /// The roles a user acts with (session user by default; frappe/permissions.py get_roles), cached for the unit of
    /// work: Guest has only Guest; a logged-in user also has All and Guest, and a System User has
    /// Desk User, the automatic roles Frappe adds. Every permission check and role gate reads this
    /// one set.
    /// </summary>
    public static async Task<IReadOnlySet<string>> RolesAsync(FrappeContext ctx, string? user = null, CancellationToken ct = default)
    {
        user ??= ctx.User;
        if (ctx.Items.TryGetValue(RolesKey + user, out var cached) && cached is IReadOnlySet<string> set)
            return set;
        var roles = new HashSet<string>(StringComparer.Ordinal) { "Guest" };
        if (user != "Guest")
        {
            roles.Add("All");
            var db = await ctx.DbAsync(ct);
            var d = db.Dialect;
            // One round trip: the user's type rides along with its Has Role rows.
            var rows = await db.QueryValuesAsync(
                $"SELECT u.{d.Quote("user_type")}, r.{d.Quote("role")} FROM {d.Quote("tabUser")} u " +
                $"LEFT JOIN {d.Quote("tabHas Role")} r ON r.{d.Quote("parent")} = u.{d.Quote("name")} AND r.{d.Quote("parenttype")} = @p1 " +
                $"WHERE u.{d.Quote("name")} = @p0",
                [user, "User"], ct);
            foreach (var r in rows)
            {
                if (r[1] is string role && role.Length > 0)
                    roles.Add(role);
                if (r[0] is "System User")
                    roles.Add("Desk User");
            }
        }
        ctx.Items[RolesKey + user] = roles;
        return roles;
    }

    /// <summary>Forgets cached roles (after a user's roles were changed in this unit of work).</summary>
    public static void ForgetRoles(FrappeContext ctx, string user) => ctx.Items.Remove(RolesKey + user);

    private static bool Grants(DocPerm p, string ptype) => ptype switch
    {
        "read" => p.Read == 1,
        "select" => p.Select == 1 || p.Read == 1,
        "write" => p.Write == 1,
        "create" => p.Create == 1,
        "delete" => p.Delete == 1,
        "submit" => p.Submit == 1,
        "cancel" => p.Cancel == 1,
        "amend" => p.Amend == 1,
        "report" => p.Report == 1,
        "export" => p.Export == 1,
        "import" => p.Import == 1,
        "share" => p.Share == 1,
        "print" => p.Print == 1,
        "email" => p.Email == 1,
        _ => throw new ArgumentException($"Unknown permission type '{ptype}'", nameof(ptype)),
    };

    /// <summary>
    /// What a right reaches on a DocType. For a child DocType, <paramref name="parentDocType"/>
    /// names the parent it is read through; it must really hold the child, else nothing is granted.
    /// </summary>
    public static async Task<Access> AccessAsync(FrappeContext ctx, DocTypeMeta meta, string ptype, string? parentDocType = null, CancellationToken ct = default)
    {
        if (!Rights.Contains(ptype))
            throw new ArgumentException($"Unknown permission type '{ptype}'", nameof(ptype));
        if (meta.IsChild)
        {
            if (string.IsNullOrEmpty(parentDocType))
                return ctx.IsAdministrator ? Access.All : Access.None;
            var parent = await Meta.FindAsync(ctx, parentDocType, ct);
            if (parent is null || !parent.Fields.Any(f => f.IsTable && f.Options == meta.Name))
                return Access.None;
            meta = parent;
        }
        if (ctx.IsAdministrator)
            return Access.All;
        var roles = await RolesAsync(ctx, null, ct);
        var access = Access.None;
        foreach (var p in meta.Permissions)
        {
            if (p.PermLevel != 0 || !roles.Contains(p.Role) || !Grants(p, ptype))
                continue;
            if (p.IfOwner == 0)
                return Access.All;
            access = Access.OwnerOnly;
        }
        return access;
    }

    /// <summary>
    /// The permlevels at which the session user holds a right (Frappe's <c>get_permlevel_access</c>):
    /// level N is reached when any DocPerm row at level N for one of the user's roles grants it.
    /// Level 0 is always allowed here, because the document-level check (<see cref="AccessAsync"/>)
    /// already decided it; <c>if_owner</c> plays no part above level 0, as in Frappe. A child
    /// DocType is judged by the rows of the parent it is read through.
    /// </summary>
    public static async Task<PermLevels> LevelsAsync(FrappeContext ctx, DocTypeMeta meta, string ptype, string? parentDocType = null, CancellationToken ct = default)
    {
        if (!Rights.Contains(ptype))
            throw new ArgumentException($"Unknown permission type '{ptype}'", nameof(ptype));
        if (ctx.IsAdministrator)
            return PermLevels.Every;
        if (meta.IsChild)
        {
            var parent = string.IsNullOrEmpty(parentDocType) ? null : await Meta.FindAsync(ctx, parentDocType, ct);
            if (parent is null || !parent.Fields.Any(f => f.IsTable && f.Options == meta.Name))
                return PermLevels.LevelZero;
            meta = parent;
        }
        var roles = await RolesAsync(ctx, null, ct);
        var levels = new HashSet<int>();
        foreach (var p in meta.Permissions)
            if (p.PermLevel > 0 && roles.Contains(p.Role) && Grants(p, ptype))
                levels.Add(p.PermLevel);
        return levels.Count == 0 ? PermLevels.LevelZero : new PermLevels(levels);
    }

    /// <summary>Whether the session user has a right on a DocType, or on one document when given.</summary>
    public static async Task<bool> HasAsync(FrappeContext ctx, DocTypeMeta meta, string ptype, Document? doc = null, string? parentDocType = null, CancellationToken ct = default)
    {
        parentDocType ??= doc?.ParentType ?? doc?.ParentDocument?.DocType;
        var access = await AccessAsync(ctx, meta, ptype, parentDocType, ct);
        if (access != Access.OwnerOnly || doc is null)
            return access != Access.None;
        return await OwnerOfAsync(ctx, doc, ct) == ctx.User;
    }

    /// <summary>Every right of the session user on a DocType or document (<c>frappe.client.get_doc_permissions</c>).</summary>
    public static async Task<Dictionary<string, int>> AllAsync(FrappeContext ctx, DocTypeMeta meta, Document? doc = null, CancellationToken ct = default)
    {
        var rights = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var right in Rights)
            rights[right] = await HasAsync(ctx, meta, right, doc, ct: ct) ? 1 : 0;
        return rights;
    }

    /// <summary>Throws PermissionError (403) unless <see cref="HasAsync"/>.</summary>
    public static async Task CheckAsync(FrappeContext ctx, DocTypeMeta meta, string ptype, Document? doc = null, string? parentDocType = null, CancellationToken ct = default)
    {
        if (await HasAsync(ctx, meta, ptype, doc, parentDocType, ct))
            return;
        if (doc?.Name is null)
            throw new PermissionError($"No permission for {meta.Name}", "Not Permitted");
        throw new PermissionError($"You need the '{ptype}' permission on <strong>{meta.Name}</strong> {doc.Name} to perform this action.", "Not Permitted");
    }

    /// <summary>The owner that decides if_owner rights: the document's, or its parent's for a child row.</summary>
    private static async Task<string?> OwnerOfAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        if (!doc.Meta.IsChild)
            return doc.Owner;
        if (doc.ParentDocument is { } p)
            return p.Owner;
        if (doc.ParentType is null || doc.Parent is null)
            return null;
        var parentMeta = await Meta.FindAsync(ctx, doc.ParentType, ct);
        if (parentMeta is null)
            return null;
        var db = await ctx.DbAsync(ct);
        var d = db.Dialect;
        return await db.ScalarAsync($"SELECT {d.Quote("owner")} FROM {d.Quote(parentMeta.TableName)} WHERE {d.Quote("name")} = @p0", [doc.Parent], ct) as string;
    }
}
