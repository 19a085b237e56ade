using SharpBench.Apps;
using SharpBench.Data;
using SharpBench.Scheduling;
using SharpBench.Sites;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Sites;

/// <summary>
/// <c>bench new-site [--install-app APP]...</c> as Frappe's: the core app always, other apps of
/// the bench only when named. The bench here has sb_test_app (with a scheduler event) in apps.txt.
/// </summary>
public class NewSiteInstallAppTests
{
    private static async Task<(IReadOnlyList<string>? Installed, int TestAppJobs)> AppsOfAsync(JobBench jb, string name)
    {
        await using var db = await jb.Sites.Find(name)!.OpenDatabaseAsync();
        var d = db.Dialect;
        var jobs = await db.ScalarAsync($"SELECT COUNT(*) FROM {d.Quote(ScheduledJobType.Table)} WHERE {d.Quote("method")} LIKE @p0", [Tests.App.TestApp.AppName + ".%"]);
        return (await InstalledApps.ReadAsync(db), Convert.ToInt32(jobs, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task WithoutInstallAppOnlyTheCoreAppIsInstalled()
    {
        await using var jb = new JobBench();
        var name = TempBench.UniqueSite("core");

        Assert.Equal(0, await jb.RunBenchAsync("new-site", name, "--db-type", "sqlite", "--admin-password", "admin"));

        var (installed, jobs) = await AppsOfAsync(jb, name);
        Assert.Equal(["frappe"], installed);
        Assert.Equal(0, jobs);
    }

    [Fact]
    public async Task InstallAppInstallsTheNamedAppWithItsSchedulerEvents()
    {
        await using var jb = new JobBench();
        var name = TempBench.UniqueSite("with");

        Assert.Equal(0, await jb.RunBenchAsync("new-site", name, "--db-type", "sqlite", "--admin-password", "admin", "--install-app", Tests.App.TestApp.AppName));

        var (installed, jobs) = await AppsOfAsync(jb, name);
        Assert.Equal(["frappe", Tests.App.TestApp.AppName], installed);
        Assert.True(jobs > 0, jb.OutputText);
    }

    [Fact]
    public async Task AnAppNotInTheBenchIsNamedAndNoSiteOrDatabaseIsMade()
    {
        await using var jb = new JobBench();
        var name = TempBench.UniqueSite("noapp");

        var exit = await jb.RunBenchAsync("new-site", name, "--admin-password", "admin", "--install-app", Tests.App.TestApp.AppName, "--install-app", "no_such_app",
            "--db-type", "mariadb", "--db-host", TestServices.MariaDbHost, "--db-port", TestServices.MariaDbPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--db-root-username", TestServices.MariaDbRootUser, "--db-root-password", TestServices.MariaDbRootPassword);

        Assert.Equal(1, exit);
        Assert.Contains("App no_such_app is not in this bench", jb.OutputText, StringComparison.Ordinal);
        Assert.Contains("No site was created", jb.OutputText, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(jb.Bench.SitesPath, name)));
        Assert.False(await TempBench.Admin(DbKind.MariaDb).DatabaseExistsAsync(Secrets.DbName(name)));
    }
}
