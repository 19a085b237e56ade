using SharpBench.Apps;
using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench.Model;

/// <summary>A field somewhere that points at documents of a DocType (for rename and delete checks).</summary>
/// <param name="DocType">The DocType holding the field.</param>
/// <param name="FieldName">The Link or Dynamic Link field.</param>
/// <param name="DynamicOptionsField">For Dynamic Link: the field that names the target DocType.</param>
public sealed record LinkRef(string DocType, string FieldName, string? DynamicOptionsField, bool Single, bool Child);

/// <summary>
/// Frappe's <c>frappe.get_meta</c>: the DocTypes of a site, from the apps' code (shipped
/// DocTypes) and from <c>tabDocType</c> rows (custom DocTypes made at run time). Cached per site
/// in the host's <see cref="MetaCache"/>;
/// a change made in this process clears the cache at once, and every few seconds the cache
/// compares <c>tabDocType</c>'s stamp so changes made by another process are seen too.
/// </summary>
public static class Meta
{
    private const string OverridesKey = "sharpbench.meta.overrides";

    /// <summary>The apps installed on the bench of a site (its <c>sites/apps.txt</c>).</summary>
    public static IReadOnlyList<App> AppsOf(Site site) => CacheOf(site).Apps;

    private static MetaCache.SiteCache CacheOf(Site site) => site.Host.Meta.Of(site);

    /// <summary>The meta of a DocType; <see cref="DoesNotExistError"/> ("DocType X not found") when there is none.</summary>
    public static async Task<DocTypeMeta> GetAsync(FrappeContext ctx, string doctype, CancellationToken ct = default) =>
        await FindAsync(ctx, doctype, ct) ?? throw new DoesNotExistError($"DocType {doctype} not found");

    public static async Task<DocTypeMeta?> FindAsync(FrappeContext ctx, string doctype, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(doctype))
            return null;
        if (ctx.Items.TryGetValue(OverridesKey, out var o) && o is Dictionary<string, DocTypeMeta?> overrides && overrides.TryGetValue(doctype, out var changed))
            return changed;
        var cache = await FreshCacheAsync(ctx, ct);
        if (cache.Loaded.TryGetValue(doctype, out var meta))
            return meta;
        if (cache.Shipped.TryGetValue(doctype, out meta))
            return meta;
        if (!DocTypeMeta.IsValidDocTypeName(doctype))
            return null;
        var db = await ctx.DbAsync(ct);
        meta = await DocTypeRows.ReadAsync(db, doctype, ct);
        if (meta is not null)
            cache.Loaded[doctype] = meta;
        return meta;
    }

    public static async Task<bool> ExistsAsync(FrappeContext ctx, string doctype, CancellationToken ct = default) =>
        await FindAsync(ctx, doctype, ct) is not null;

    /// <summary>Every DocType of the site: the shipped ones and those in tabDocType.</summary>
    public static async Task<IReadOnlyList<string>> NamesAsync(FrappeContext ctx, CancellationToken ct = default)
    {
        var cache = await FreshCacheAsync(ctx, ct);
        var names = cache.Names;
        if (names is null)
        {
            var db = await ctx.DbAsync(ct);
            var d = db.Dialect;
            var rows = await db.QueryAsync($"SELECT {d.Quote("name")} AS n FROM {d.Quote("tabDocType")}", [], ct);
            names = rows.Select(r => (string)r["n"]!).Concat(cache.Shipped.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            cache.Names = names;
        }
        if (ctx.Items.TryGetValue(OverridesKey, out var o) && o is Dictionary<string, DocTypeMeta?> overrides)
            names = names.Concat(overrides.Where(kv => kv.Value is not null).Select(kv => kv.Key)).Except(overrides.Where(kv => kv.Value is null).Select(kv => kv.Key)).Distinct().ToList();
        return names;
    }

    /// <summary>The Link and Dynamic Link fields of all DocTypes that can point at <paramref name="doctype"/>.</summary>
    public static async Task<IReadOnlyList<LinkRef>> LinksToAsync(FrappeContext ctx, string doctype, CancellationToken ct = default)
    {
        var cache = await FreshCacheAsync(ctx, ct);
        if (cache.Links.TryGetValue(doctype, out var links))
            return links;
        var list = new List<LinkRef>();
        foreach (var name in await NamesAsync(ctx, ct))
        {
            var meta = await FindAsync(ctx, name, ct);
            if (meta is null || meta.IsVirtual == 1)
                continue;
            foreach (var f in meta.Fields)
            {
                if (f.FieldType == "Link" && f.Options == doctype)
                    list.Add(new LinkRef(meta.Name, f.FieldName, null, meta.Single, meta.IsChild));
                else if (f.FieldType == "Dynamic Link" && !string.IsNullOrEmpty(f.Options) && meta.Field(f.Options) is not null)
                    list.Add(new LinkRef(meta.Name, f.FieldName, f.Options, meta.Single, meta.IsChild));
            }
        }
        cache.Links[doctype] = list;
        return list;
    }

    /// <summary>
    /// Makes a DocType changed (or deleted, when <paramref name="meta"/> is null) by this unit of
    /// work visible to it at once, and to everyone else when it commits.
    /// </summary>
    public static void Changed(FrappeContext ctx, string doctype, DocTypeMeta? meta)
    {
        if (!ctx.Items.TryGetValue(OverridesKey, out var o) || o is not Dictionary<string, DocTypeMeta?> overrides)
        {
            overrides = new Dictionary<string, DocTypeMeta?>(StringComparer.Ordinal);
            ctx.Items[OverridesKey] = overrides;
            ctx.AfterCommit(() =>
            {
                Invalidate(ctx.Site);
                ctx.Items.Remove(OverridesKey);
                return Task.CompletedTask;
            });
            ctx.AfterRollback(() =>
            {
                Invalidate(ctx.Site);
                ctx.Items.Remove(OverridesKey);
                return Task.CompletedTask;
            });
        }
        overrides[doctype] = meta;
        Invalidate(ctx.Site);
    }

    public static void Invalidate(Site site) => site.Host.Meta.Invalidate(site);

    private static async Task<MetaCache.SiteCache> FreshCacheAsync(FrappeContext ctx, CancellationToken ct)
    {
        var cache = CacheOf(ctx.Site);
        var now = Environment.TickCount64;
        if (now - Volatile.Read(ref cache.CheckedAt) < ctx.Site.Host.Meta.RecheckInterval.TotalMilliseconds)
            return cache;
        var db = await ctx.DbAsync(ct);
        var d = db.Dialect;
        var row = (await db.QueryAsync(
            $"SELECT COUNT(*) AS c, MAX({d.Quote("modified")}) AS m FROM {d.Quote("tabDocType")}", [], ct))[0];
        // The installed apps are part of the stamp: install-app or uninstall-app in another process
        // changes which DocTypes and hooks this site has within one recheck interval.
        var installed = await Apps.InstalledApps.ReadRawAsync(db, ct);
        var stamp = Convert.ToString(row["c"], System.Globalization.CultureInfo.InvariantCulture) + "|" + FieldValue.Text(FieldValue.FromDb(ColumnKind.Datetime, row["m"])) + "|" + installed;
        if (cache.Stamp != stamp && (cache.Stamp is not null || installed is not null))
            cache = ctx.Site.Host.Meta.Reset(ctx.Site, await Apps.InstalledApps.ReadAsync(db, ct));
        cache.Stamp = stamp;
        Volatile.Write(ref cache.CheckedAt, now);
        return cache;
    }
}
