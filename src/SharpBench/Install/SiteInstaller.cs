using Microsoft.AspNetCore.Identity;
using SharpBench.Apps;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Install;

/// <summary>
/// Fills a new site's empty database: framework tables, every DocType of the bench's apps,
/// the standard roles and the users Administrator and Guest.
/// </summary>
public static class SiteInstaller
{
    public static readonly string[] StandardRoles = ["Administrator", "System Manager", "All", "Guest", "Desk User"];

    public static async Task InstallAsync(Database db, IReadOnlyList<App> apps, string adminPassword, Action<string> progress, CancellationToken ct = default)
    {
        progress("Creating framework tables");
        await MigrateSchemaAsync(db, apps, await SystemTables.EnsureTablesAsync(db, ct), progress, ct);

        progress("Creating roles and users");
        await db.BeginAsync(ct);
        var now = DbTime.Now();
        foreach (var role in StandardRoles)
            await InsertIfMissingAsync(db, "tabRole", role, now, new() { ["role_name"] = role, ["desk_access"] = role == "Guest" ? 0 : 1 }, ct);
        await InsertUserAsync(db, "Administrator", "admin@example.com", "Administrator", "System User", ["Administrator"], now, ct);
        await InsertUserAsync(db, "Guest", "guest@example.com", "Guest", "Website User", ["Guest"], now, ct);
        await UserPasswords.SetPasswordAsync(db, "Administrator", adminPassword, ct);
        await db.CommitAsync(ct);
    }

    /// <summary>
    /// Creates or extends the table of every DocType; safe to run on a site with data. As Frappe's
    /// migrate (frappe/modules/import_file.py: a DocType whose stored <c>migration_hash</c> equals
    /// its JSON's is not imported again), a DocType whose definition is unchanged since the last
    /// sync is skipped: no catalogue reads, no DDL, no rows. Stricter than Frappe, the stored hash
    /// also covers the table layout SharpBench derives from the JSON (columns, indexes), and a
    /// DocType whose table or tabDocType row has gone missing is synced again.
    /// </summary>
    public static async Task MigrateSchemaAsync(Database db, IReadOnlyList<App> apps, Action<string> progress, CancellationToken ct = default)
        => await MigrateSchemaAsync(db, apps, await SystemTables.EnsureTablesAsync(db, ct), progress, ct);

    /// <summary>
    /// As above, given the tables the database holds (<see cref="SystemTables.EnsureTablesAsync"/>);
    /// the tables it creates are added to them, so a second pass can reuse the set.
    /// </summary>
    internal static async Task MigrateSchemaAsync(Database db, IReadOnlyList<App> apps, HashSet<string> tables, Action<string> progress, CancellationToken ct)
    {
        var synced = await SyncedHashesAsync(db, ct);
        var rows = tables.Contains("tabDocType") ? await DocTypeRowsAsync(db, ct) : [];
        var changed = new List<(Model.DocTypeMeta Meta, string Hash)>();
        foreach (var app in apps)
        {
            foreach (var meta in app.DocTypes())
            {
                var hash = DefinitionHash(meta);
                if (synced.GetValueOrDefault(meta.Name) == hash && rows.Contains(meta.Name)
                    && (!SchemaSync.HasTable(meta) || tables.Contains(meta.TableName)))
                    continue;
                progress($"Syncing {app.Name}: {meta.Name}");
                await SchemaSync.SyncAsync(db, meta, ct);
                if (SchemaSync.HasTable(meta))
                    tables.Add(meta.TableName);
                changed.Add((meta, hash));
            }
        }
        // DDL commits on MariaDB, so the rows are written in their own transaction afterwards.
        await db.BeginAsync(ct);
        var now = DbTime.Now();
        foreach (var app in apps)
        {
            foreach (var module in app.Modules)
                await InsertIfMissingAsync(db, "tabModule Def", module, now, new() { ["module_name"] = module, ["app_name"] = app.Name }, ct);
        }
        foreach (var (meta, hash) in changed)
        {
            progress($"Writing DocType {meta.Name}");
            await Model.DocTypeRows.WriteAsync(db, meta, now, ct);
            await WriteSyncedHashAsync(db, meta.Name, hash, now, ct);
        }
        await MakeHomeFolderAsync(db, now, ct);
        await db.CommitAsync(ct);
    }

    private const string SyncParent = "__doctype_sync";

    /// <summary>The definition as Frappe's JSON plus the table SharpBench makes of it.</summary>
    private static string DefinitionHash(Model.DocTypeMeta meta)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(meta, Model.DocTypeMeta.JsonOptions);
        var layout = System.Text.Encoding.UTF8.GetBytes("\n" + SchemaSync.Layout(meta));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([.. json, .. layout]));
    }

    private static async Task<Dictionary<string, string>> SyncedHashesAsync(Database db, CancellationToken ct)
    {
        var d = db.Dialect;
        var rows = await db.QueryAsync($"SELECT {d.Quote("defkey")} AS k, {d.Quote("defvalue")} AS v FROM {d.Quote("tabDefaultValue")} WHERE {d.Quote("parent")} = @p0", [SyncParent], ct);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row["k"] is string k && row["v"] is string v)
                hashes[k] = v;
        }
        return hashes;
    }

    private static async Task<HashSet<string>> DocTypeRowsAsync(Database db, CancellationToken ct)
    {
        var d = db.Dialect;
        return (await db.QueryAsync($"SELECT {d.Quote("name")} AS n FROM {d.Quote("tabDocType")}", [], ct))
            .Select(r => (string)r["n"]!).ToHashSet(StringComparer.Ordinal);
    }

    private static async Task WriteSyncedHashAsync(Database db, string doctype, string hash, DateTime now, CancellationToken ct)
    {
        var d = db.Dialect;
        await db.ExecuteAsync($"DELETE FROM {d.Quote("tabDefaultValue")} WHERE {d.Quote("parent")} = @p0 AND {d.Quote("defkey")} = @p1", [SyncParent, doctype], ct);
        await Rows.InsertAsync(db, "tabDefaultValue", new Dictionary<string, object?>
        {
            ["name"] = Model.Naming.Hash(),
            ["parent"] = SyncParent,
            ["defkey"] = doctype,
            ["defvalue"] = hash,
            ["creation"] = now,
            ["modified"] = now,
        }, ct);
    }

    /// <summary>Forgets a DocType's synced definition (uninstall-app dropped it).</summary>
    internal static async Task ForgetSyncedAsync(Database db, string doctype, CancellationToken ct)
    {
        var d = db.Dialect;
        await db.ExecuteAsync($"DELETE FROM {d.Quote("tabDefaultValue")} WHERE {d.Quote("parent")} = @p0 AND {d.Quote("defkey")} = @p1", [SyncParent, doctype], ct);
    }

    /// <summary>
    /// The File folders every site has (Frappe's <c>make_home_folder</c>): <c>Home</c>, and
    /// <c>Home/Attachments</c> where files attached to documents go. Migrate adds them to older sites.
    /// </summary>
    private static async Task MakeHomeFolderAsync(Database db, DateTime now, CancellationToken ct)
    {
        await InsertIfMissingAsync(db, "tabFile", "Home", now, new() { ["file_name"] = "Home", ["is_folder"] = 1, ["is_home_folder"] = 1 }, ct);
        await InsertIfMissingAsync(db, "tabFile", "Home/Attachments", now,
            new() { ["file_name"] = "Attachments", ["folder"] = "Home", ["is_folder"] = 1, ["is_attachments_folder"] = 1 }, ct);
    }

    private static async Task InsertIfMissingAsync(Database db, string table, string name, DateTime now, Dictionary<string, object?> values, CancellationToken ct)
    {
        if (await Rows.ExistsAsync(db, table, name, ct))
            return;
        await Rows.InsertAsync(db, table, Rows.BySystem(name, now, values), ct);
    }

    private static async Task InsertUserAsync(Database db, string name, string email, string firstName, string userType, string[] roles, DateTime now, CancellationToken ct)
    {
        if (await Rows.ExistsAsync(db, "tabUser", name, ct))
            return;
        await InsertIfMissingAsync(db, "tabUser", name, now, new()
        {
            ["email"] = email,
            ["first_name"] = firstName,
            ["full_name"] = firstName,
            ["enabled"] = 1,
            ["user_type"] = userType,
            ["simultaneous_sessions"] = 2,
        }, ct);
        var idx = 1;
        foreach (var role in roles)
        {
            await Rows.InsertAsync(db, "tabHas Role", Rows.BySystem(Guid.NewGuid().ToString("N")[..10], now, new()
            {
                ["parent"] = name,
                ["parentfield"] = "roles",
                ["parenttype"] = "User",
                ["role"] = role,
            }, idx++), ct);
        }
    }
}
