using SharpBench.Apps;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Scheduling;
using SharpBench.Sites;

namespace SharpBench.Install;

/// <summary>
/// <c>bench --site S install-app A</c> and <c>uninstall-app A</c>: what changes in one site when
/// an app of the bench is added to it or taken out of it.
/// </summary>
internal static class AppInstaller
{
    /// <summary>
    /// Creates the app's tables and DocTypes, records it in <c>installed_apps</c>, marks its patches
    /// done (its DocTypes are current), syncs the scheduler events and runs <c>after_install</c>.
    /// Returns false when the site already has it.
    /// </summary>
    public static async Task<bool> InstallAsync(Bench bench, Site site, string appName, Action<string> progress, CancellationToken ct = default)
    {
        var app = BenchApp(site.Host.Apps, bench, appName);
        await using var db = await site.OpenDatabaseAsync(ct);
        var installed = (await InstalledApps.OfAsync(site.Host.Apps, bench, db, ct)).Select(a => a.Name).ToList();
        if (installed.Contains(app.Name))
        {
            // A site that never recorded its apps gets the record now, so the answer stays true.
            if (await InstalledApps.ReadAsync(db, ct) is null)
                await InstalledApps.WriteAsync(db, installed, ct);
            return false;
        }
        progress($"Installing {app.Name}");
        await SiteInstaller.MigrateSchemaAsync(db, [app], progress, ct);
        await db.BeginAsync(ct);
        await PatchRunner.MarkAllExecutedAsync(db, app, ct);
        installed.Add(app.Name);
        await InstalledApps.WriteAsync(db, installed, ct);
        await db.CommitAsync(ct);
        var apps = InstalledApps.Resolve(site.Host.Apps, bench, installed);
        foreach (var error in await SchedulerSetup.SyncJobsAsync(db, apps, progress, ct: ct))
            progress("Error: " + error);
        Meta.Invalidate(site);
        await using (var context = new FrappeContext(site, "Administrator"))
        {
            await app.AfterInstallAsync(context, ct);
            await context.CommitAsync(ct);
        }
        return true;
    }

    /// <summary>
    /// Runs <c>before_uninstall</c>, drops the app's DocTypes (tables and definitions) and Module
    /// Defs, removes it from <c>installed_apps</c> and its scheduled jobs. Returns false when the
    /// site does not have it.
    /// </summary>
    public static async Task<bool> UninstallAsync(Bench bench, Site site, string appName, Action<string> progress, CancellationToken ct = default)
    {
        if (appName == Bench.CoreApp)
            throw new BenchException($"The core app {Bench.CoreApp} cannot be uninstalled.");
        await using var db = await site.OpenDatabaseAsync(ct);
        var installed = (await InstalledApps.OfAsync(site.Host.Apps, bench, db, ct)).Select(a => a.Name).ToList();
        var recorded = await InstalledApps.ReadAsync(db, ct);
        if (!installed.Contains(appName) && (recorded is null || !recorded.Contains(appName)))
            return false;
        var app = site.Host.Apps.Find(appName)
            ?? throw new BenchException($"App {appName} is installed on {site.Name} but its code is not in this bench (apps/{appName}); get it back with bench get-app before uninstalling it.");
        await using (var context = new FrappeContext(site, "Administrator"))
        {
            progress($"Running before_uninstall of {app.Name}");
            await app.BeforeUninstallAsync(context, ct);
            await context.CommitAsync(ct);
        }
        var d = db.Dialect;
        foreach (var meta in app.DocTypes())
        {
            progress($"Removing DocType {meta.Name}");
            if (!meta.Single && meta.IsVirtual != 1)
                await db.ExecuteAsync($"DROP TABLE IF EXISTS {d.Quote(meta.TableName)}", [], ct);
        }
        await db.BeginAsync(ct);
        foreach (var meta in app.DocTypes())
        {
            await DocTypeRows.DeleteAsync(db, meta.Name, ct);
            await SiteInstaller.ForgetSyncedAsync(db, meta.Name, ct);
            if (meta.Single)
                await Singles.DeleteAsync(db, meta.Name, ct);
        }
        foreach (var module in app.Modules)
            await db.ExecuteAsync($"DELETE FROM {d.Quote("tabModule Def")} WHERE {d.Quote("name")} = @p0 AND {d.Quote("app_name")} = @p1", [module, app.Name], ct);
        installed.Remove(app.Name);
        await InstalledApps.WriteAsync(db, installed, ct);
        await db.CommitAsync(ct);
        foreach (var error in await SchedulerSetup.SyncJobsAsync(db, InstalledApps.Resolve(site.Host.Apps, bench, installed), progress, ct: ct))
            progress("Error: " + error);
        Meta.Invalidate(site);
        return true;
    }

    /// <summary>An app of this bench (sites/apps.txt, loaded); anything else is the operator's error, named.</summary>
    private static App BenchApp(AppRegistry apps, Bench bench, string appName)
    {
        if (!bench.Apps.Contains(appName))
            throw new BenchException($"App {appName} is not in this bench (sites/apps.txt): get it first with bench get-app URL|PATH.");
        return apps.Find(appName)
            ?? throw new BenchException($"App {appName} is in sites/apps.txt but apps/{appName} holds no built assembly: run bench build --app {appName}.");
    }
}
