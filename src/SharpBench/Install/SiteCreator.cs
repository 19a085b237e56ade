using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Scheduling;
using SharpBench.Sites;

namespace SharpBench.Install;

/// <summary>
/// <c>bench new-site</c> and <c>bench drop-site</c>. A failed new-site leaves nothing behind:
/// the root login is checked before anything is made, and whatever was made is removed again.
/// </summary>
public sealed class SiteCreator(Bench bench, Action<string> progress)
{
    public async Task CreateAsync(NewSiteOptions o, CancellationToken ct = default)
    {
        SiteName.Validate(o.Site);
        bench.EnsureLayout();
        using var newSiteLock = FileLock.Acquire(Path.Combine(bench.Root, "config", "locks", "bench_new_site.lock"), TimeSpan.FromSeconds(30));
        var common = bench.ReadCommonConfig();
        var exists = bench.SiteExists(o.Site);
        if (exists && !o.Force)
            throw new BenchException($"Site {o.Site} already exists. Use --force to reinstall it.");
        var apps = BenchHost.Load(bench).Apps;
        if (apps.Find(o.Site) is not null)
            throw new BenchException($"Site name {o.Site} is the name of an app.");

        var commonConfig = new SiteConfig(common);
        var siteApps = SiteApps(apps.ForBench(bench), common, o.InstallApps);
        var kind = o.DbType ?? (commonConfig.GetString("db_host") is not null ? DbKinds.Parse(commonConfig.GetString("db_type")) : DbKind.Sqlite);
        var adminPassword = commonConfig.GetString("admin_password") ?? o.AdminPassword;
        var dbName = Secrets.DbName(o.Site);
        var sitePath = bench.SitePath(o.Site);

        DbAdmin? admin = null;
        var dbPassword = "";
        DbConnectionInfo info;
        if (kind == DbKind.Sqlite)
        {
            info = DbConnectionInfo.Sqlite(DbConnectionInfo.SqlitePath(sitePath, dbName));
        }
        else
        {
            var fromCommon = commonConfig.DbEndpoint(kind);
            var endpoint = new DbEndpoint(kind, o.DbHost ?? fromCommon.Host, o.DbPort ?? fromCommon.Port, o.DbSocket ?? fromCommon.Socket);
            var rootUser = o.RootUser ?? (kind == DbKind.Postgres ? commonConfig.GetString("root_login") ?? "postgres" : "root");
            var rootPassword = o.RootPassword ?? commonConfig.GetString("root_password")
                ?? throw new BenchException($"A database root password is needed for {endpoint.Describe}: pass --db-root-password or set root_password.");
            admin = new DbAdmin(endpoint, rootUser, rootPassword);
            progress($"Checking {admin.Describe}");
            await admin.CheckAsync(ct);
            dbPassword = Secrets.Password();
            info = DbConnectionInfo.Server(endpoint, dbName, dbPassword, dbName);
        }

        var folderIsNew = !Directory.Exists(sitePath);
        var dbCreated = false;
        try
        {
            if (admin is not null)
            {
                progress($"Creating database {dbName} on {admin.Describe}");
                await admin.CreateSiteDatabaseAsync(dbName, dbPassword, ct);
                dbCreated = true;
            }
            progress($"Creating site folder {sitePath}");
            foreach (var sub in new[] { "public/files", "private/files", "private/backups", "locks", "logs", "db" })
                Directory.CreateDirectory(Path.Combine(sitePath, sub));
            if (kind == DbKind.Sqlite)
                DeleteSqliteFiles(DbConnectionInfo.SqlitePath(sitePath, dbName));

            var config = new JsonObject
            {
                ["db_name"] = dbName,
                ["db_type"] = kind.ConfigName(),
                ["encryption_key"] = Secrets.FernetKey(),
            };
            if (admin is not null)
                config["db_password"] = dbPassword;
            if (o.DbHost is not null)
                config["db_host"] = o.DbHost;
            if (o.DbPort is not null)
                config["db_port"] = o.DbPort;
            if (o.DbSocket is not null && admin is not null)
                config["db_socket"] = o.DbSocket;

            await using (var db = await Database.OpenAsync(info, ct))
            {
                await SiteInstaller.InstallAsync(db, siteApps, adminPassword, progress, ct);
                // The installed apps are recorded, their patches counted as done.
                await db.BeginAsync(ct);
                await InstalledApps.WriteAsync(db, siteApps.Select(a => a.Name), ct);
                foreach (var app in siteApps)
                    await PatchRunner.MarkAllExecutedAsync(db, app, ct);
                await db.CommitAsync(ct);
                foreach (var error in await SchedulerSetup.SyncJobsAsync(db, siteApps, progress, ct: ct))
                    progress("Error: " + error);
                if (o.EnableScheduler)
                    await SchedulerState.SetEnabledAsync(db, true, ct);
            }

            // The config is written last: a site folder without site_config.json is not a site,
            // so a crash before this point never leaves a half-made site that resolves.
            ConfigFile.Write(Path.Combine(sitePath, Bench.SiteConfigFile), config);
            if (o.SetDefault)
                bench.Use(o.Site);
            await RunAfterInstallAsync(o.Site, siteApps, ct);
            progress($"Site {o.Site} created on {kind.ConfigName()}");
        }
        catch
        {
            await UndoAsync(admin, dbCreated ? dbName : null, folderIsNew ? sitePath : null);
            throw;
        }
    }

    /// <summary>
    /// The apps a new site gets, as Frappe's new-site: the core app, then the common config's
    /// <c>install_apps</c>, then each <c>--install-app</c>, once each. An app that is not in the
    /// bench stops new-site before anything is made.
    /// </summary>
    private static List<App> SiteApps(IReadOnlyList<App> benchApps, JsonObject common, IReadOnlyList<string> requested)
    {
        var fromConfig = common["install_apps"] is JsonArray list ? list.Select(n => n?.ToString() ?? "") : [];
        var names = new List<string> { Bench.CoreApp };
        foreach (var name in fromConfig.Concat(requested))
        {
            if (!names.Contains(name))
                names.Add(name);
        }
        var result = new List<App>();
        foreach (var name in names)
        {
            result.Add(benchApps.FirstOrDefault(a => a.Name == name)
                ?? throw new BenchException($"App {name} is not in this bench (sites/apps.txt: {string.Join(", ", benchApps.Select(a => a.Name))}): get it first with bench get-app URL|PATH. No site was created."));
        }
        return result;
    }

    /// <summary>The apps' <c>after_install</c> hooks, once the site resolves (its config is written).</summary>
    private async Task RunAfterInstallAsync(string siteName, IReadOnlyList<App> siteApps, CancellationToken ct)
    {
        var apps = siteApps.Where(a => a is not FrappeApp).ToList();
        if (apps.Count == 0)
            return;
        var site = BenchHost.Sites(bench).Find(siteName)!;
        await using var context = new FrappeContext(site, "Administrator");
        foreach (var app in apps)
        {
            progress($"Running after_install of {app.Name}");
            await app.AfterInstallAsync(context, ct);
        }
        await context.CommitAsync(ct);
    }

    private static async Task UndoAsync(DbAdmin? admin, string? dbName, string? folder)
    {
        if (admin is not null && dbName is not null)
        {
            try
            {
                await admin.DropSiteDatabaseAsync(dbName);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"Could not remove database {dbName} after the failure: {e.Message}");
            }
        }
        if (folder is not null && Directory.Exists(folder))
        {
            Database.ClearPool(folder);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void DeleteSqliteFiles(string path)
    {
        Database.ClearPool(path);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(path + suffix);
    }

    public async Task DropAsync(string site, string? rootUser, string? rootPassword, bool force, CancellationToken ct = default)
    {
        SiteName.Validate(site);
        if (!bench.SiteExists(site))
            throw new BenchException($"Site {site} does not exist");
        var config = bench.SiteConfig(site);
        var kind = DbKinds.Parse(config.GetString("db_type"));
        var dbName = config.GetString("db_name") ?? throw new BenchException($"Site {site} has no db_name in its config.");
        if (kind != DbKind.Sqlite)
        {
            var endpoint = config.DbEndpoint(kind);
            var user = rootUser ?? (kind == DbKind.Postgres ? config.GetString("root_login") ?? "postgres" : "root");
            var password = rootPassword ?? config.GetString("root_password")
                ?? throw new BenchException($"A database root password is needed to drop {dbName} on {endpoint.Describe}: pass --db-root-password or set root_password.");
            var admin = new DbAdmin(endpoint, user, password);
            progress($"Dropping database {dbName} on {admin.Describe}");
            try
            {
                await admin.DropSiteDatabaseAsync(dbName, ct);
            }
            catch (BenchException) when (force)
            {
                progress("Could not reach the database; archiving the site anyway (--force)");
            }
        }
        Database.ClearPool(bench.SitePath(site));
        Directory.CreateDirectory(bench.ArchivedSitesPath);
        var target = Path.Combine(bench.ArchivedSitesPath, site);
        if (Directory.Exists(target))
            target += "-" + TimeProvider.System.GetLocalNow().ToString("yyyyMMdd_HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        FolderMove.Move(bench.SitePath(site), target);
        if (bench.DefaultSite == site)
            bench.UpdateCommonConfig(c => c.Remove("default_site"));
        var current = Path.Combine(bench.SitesPath, Bench.CurrentSiteFile);
        if (File.Exists(current) && File.ReadAllText(current).Trim() == site)
            File.Delete(current);
        progress($"Site {site} archived to {target}");
    }
}
