using System.Text.Json;
using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench.Apps;

/// <summary>
/// Which of the bench's apps a site has installed: Frappe's global default <c>installed_apps</c>
/// (a JSON list in <c>tabDefaultValue</c>, parent <c>__global</c>), so a database moved between
/// Frappe and SharpBench keeps the meaning. A site that never recorded it (made before install-app
/// existed) has every app of the bench, as it always had; its first migrate records that list.
/// </summary>
internal static class InstalledApps
{
    private const string Parent = "__global";
    private const string Key = "installed_apps";

    /// <summary>The recorded list, or null when the site never recorded one.</summary>
    public static async Task<IReadOnlyList<string>?> ReadAsync(Database db, CancellationToken ct = default)
    {
        var text = await ReadRawAsync(db, ct);
        if (string.IsNullOrWhiteSpace(text))
            return null;
        try
        {
            return JsonSerializer.Deserialize<List<string>>(text) ?? [];
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The raw value (the meta cache folds it into its freshness stamp).</summary>
    public static async Task<string?> ReadRawAsync(Database db, CancellationToken ct = default)
    {
        var d = db.Dialect;
        return await db.ScalarAsync(
            $"SELECT {d.Quote("defvalue")} FROM {d.Quote("tabDefaultValue")} WHERE {d.Quote("parent")} = @p0 AND {d.Quote("defkey")} = @p1",
            [Parent, Key], ct) as string;
    }

    /// <summary>Replaces the list (in the caller's transaction, if any); the core app always comes first.</summary>
    public static async Task WriteAsync(Database db, IEnumerable<string> apps, CancellationToken ct = default)
    {
        var list = apps.Where(a => a != Bench.CoreApp).Distinct(StringComparer.Ordinal).Prepend(Bench.CoreApp).ToList();
        var d = db.Dialect;
        await db.ExecuteAsync($"DELETE FROM {d.Quote("tabDefaultValue")} WHERE {d.Quote("parent")} = @p0 AND {d.Quote("defkey")} = @p1", [Parent, Key], ct);
        var now = DbTime.Now();
        await Rows.InsertAsync(db, "tabDefaultValue", new Dictionary<string, object?>
        {
            ["name"] = Model.Naming.Hash(),
            ["parent"] = Parent,
            ["defkey"] = Key,
            ["defvalue"] = JsonSerializer.Serialize(list),
            ["creation"] = now,
            ["modified"] = now,
        }, ct);
    }

    /// <summary>
    /// The site's apps in the bench's order (sites/apps.txt) that this process has loaded: those
    /// recorded as installed, or every app of the bench when nothing is recorded.
    /// </summary>
    public static IReadOnlyList<App> Resolve(AppRegistry apps, Bench bench, IReadOnlyList<string>? installed) =>
        apps.ForBench(bench).Where(a => installed is null || a.Name == Bench.CoreApp || installed.Contains(a.Name)).ToList();

    /// <summary>The apps of a site, read from its database.</summary>
    public static async Task<IReadOnlyList<App>> OfAsync(AppRegistry apps, Bench bench, Database db, CancellationToken ct = default) =>
        Resolve(apps, bench, await ReadAsync(db, ct));
}
