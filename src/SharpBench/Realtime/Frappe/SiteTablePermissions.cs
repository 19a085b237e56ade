using System.Globalization;
using SharpBench.Apps;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Realtime.Frappe;

/// <summary>
/// Read permission from role DocPerms: the user's roles (<c>tabHas Role</c>, plus the automatic
/// All/Guest) against the DocType's permission rows at permlevel 0 (the app's DocType JSON, or
/// <c>tabDocPerm</c>/<c>tabCustom DocPerm</c> for DocTypes that live in the database).
/// Rows with if_owner grant a document only to its owner.
/// </summary>
public sealed class SiteTablePermissions : IRealtimePermissions
{
    public async Task<bool> CanReadDocTypeAsync(Site site, string user, string doctype, CancellationToken ct = default)
    {
        if (!DocTypeMeta.IsValidDocTypeName(doctype))
            return false;
        await using var db = await site.OpenDatabaseAsync(ct);
        var grant = await GrantAsync(db, site, user, doctype, ct);
        return grant != Grant.None;
    }

    public async Task<bool> CanReadDocAsync(Site site, string user, string doctype, string name, CancellationToken ct = default)
    {
        if (!DocTypeMeta.IsValidDocTypeName(doctype) || string.IsNullOrEmpty(name))
            return false;
        await using var db = await site.OpenDatabaseAsync(ct);
        var grant = await GrantAsync(db, site, user, doctype, ct);
        if (grant == Grant.None)
            return false;
        var d = db.Dialect;
        List<Dictionary<string, object?>> rows;
        try
        {
            rows = await db.QueryAsync($"SELECT {d.Quote("owner")} FROM {d.Quote("tab" + doctype)} WHERE {d.Quote("name")} = @p0", [name], ct);
        }
        catch (System.Data.Common.DbException)
        {
            return false;
        }
        if (rows.Count == 0)
            return false;
        return grant == Grant.All || rows[0]["owner"] as string == user;
    }

    private enum Grant
    {
        None,
        OwnerOnly,
        All,
    }

    private static async Task<Grant> GrantAsync(Database db, Site site, string user, string doctype, CancellationToken ct)
    {
        var perms = await PermsAsync(db, site, doctype, ct);
        if (perms is null)
            return Grant.None;
        if (user == "Administrator")
            return Grant.All;
        var roles = await RolesAsync(db, user, ct);
        var grant = Grant.None;
        foreach (var p in perms)
        {
            if (p.PermLevel != 0 || p.Read != 1 || !roles.Contains(p.Role))
                continue;
            if (p.IfOwner == 1)
                grant = grant == Grant.All ? Grant.All : Grant.OwnerOnly;
            else
                return Grant.All;
        }
        return grant;
    }

    /// <summary>The DocType's permission rows, or null when no such DocType exists.</summary>
    private static async Task<IReadOnlyList<DocPerm>?> PermsAsync(Database db, Site site, string doctype, CancellationToken ct)
    {
        var bench = new Bench(Path.GetDirectoryName(Path.GetDirectoryName(site.Path))!);
        var meta = AppRegistry.ForBench(bench).SelectMany(a => a.DocTypes()).FirstOrDefault(m => m.Name == doctype);
        var d = db.Dialect;
        var custom = await TryRowsAsync(db,
            $"SELECT {d.Quote("role")}, {d.Quote("permlevel")}, {d.Quote("read")}, {d.Quote("if_owner")} FROM {d.Quote("tabCustom DocPerm")} WHERE {d.Quote("parent")} = @p0",
            doctype, ct);
        if (custom is { Count: > 0 })
            return custom;
        if (meta is not null)
            return meta.Permissions;
        return await TryRowsAsync(db,
            $"SELECT {d.Quote("role")}, {d.Quote("permlevel")}, {d.Quote("read")}, {d.Quote("if_owner")} FROM {d.Quote("tabDocPerm")} WHERE {d.Quote("parent")} = @p0 AND {d.Quote("parenttype")} = 'DocType'",
            doctype, ct) is { Count: > 0 } stored ? stored : null;
    }

    private static async Task<List<DocPerm>?> TryRowsAsync(Database db, string sql, string doctype, CancellationToken ct)
    {
        try
        {
            var rows = await db.QueryAsync(sql, [doctype], ct);
            return rows.Select(r => new DocPerm
            {
                Role = r["role"] as string ?? "",
                PermLevel = Int(r["permlevel"]),
                Read = Int(r["read"]),
                IfOwner = Int(r["if_owner"]),
            }).ToList();
        }
        catch (System.Data.Common.DbException)
        {
            // The table does not exist on this site yet.
            return null;
        }
    }

    private static int Int(object? v) => v is null ? 0 : Convert.ToInt32(v, CultureInfo.InvariantCulture);

    private static async Task<HashSet<string>> RolesAsync(Database db, string user, CancellationToken ct)
    {
        var roles = new HashSet<string>(StringComparer.Ordinal) { "Guest" };
        if (user == "Guest")
            return roles;
        roles.Add("All");
        var d = db.Dialect;
        foreach (var row in await db.QueryAsync(
            $"SELECT {d.Quote("role")} FROM {d.Quote("tabHas Role")} WHERE {d.Quote("parent")} = @p0 AND {d.Quote("parenttype")} = 'User'", [user], ct))
        {
            if (row["role"] is string r)
                roles.Add(r);
        }
        return roles;
    }
}
