using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Scheduling;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Scheduling;

public class SchedulerControlTests
{
    private static async Task<string> StatusAsync(TempBench b, string site)
    {
        var run = await BenchCli.RunAsync(b.Root, "--site", site, "scheduler", "status", "--format", "json");
        Assert.True(run.ExitCode == 0, run.Output);
        var json = JsonNode.Parse(run.Stdout)!.AsObject();
        Assert.Equal(site, (string?)json["site"]);
        return (string)json["status"]!;
    }

    private static async Task<string> HttpStatusAsync(Site site)
    {
        var method = site.Host.Methods.Find(SchedulingMethods.GetSchedulerStatus)!;
        Assert.NotNull(method.Whitelist);
        await using var ctx = new FrappeContext(site, "Administrator");
        var result = (JsonObject)(await method.Invoke(ctx, [], CancellationToken.None))!;
        return (string)result["status"]!;
    }

    [Fact]
    public async Task EnableDisablePauseResumeAndStatusChangeWhatTheSchedulerSees()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        Assert.Equal("disabled", await StatusAsync(b, site.Name));
        Assert.Equal("inactive", await HttpStatusAsync(site));

        var run = await BenchCli.RunAsync(b.Root, "--site", site.Name, "enable-scheduler");
        Assert.Equal((0, $"Enabled for {site.Name}"), (run.ExitCode, run.Stdout.Trim()));
        Assert.Equal("enabled", await StatusAsync(b, site.Name));
        Assert.Equal("active", await HttpStatusAsync(site));
        Assert.True(await SchedulerState.IsActiveAsync(BenchHost.Sites(b.Bench).Find(site.Name)!));

        run = await BenchCli.RunAsync(b.Root, "--site", site.Name, "scheduler", "pause");
        Assert.Equal((0, $"Scheduler paused for site {site.Name}"), (run.ExitCode, run.Stdout.Trim()));
        Assert.True(b.Bench.SiteConfig(site.Name).GetBool("pause_scheduler"));
        Assert.Equal("disabled", await StatusAsync(b, site.Name));
        run = await BenchCli.RunAsync(b.Root, "--site", site.Name, "scheduler", "status", "-v");
        Assert.Contains($"Scheduler is disabled for site {site.Name}", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("pause_scheduler", run.Stdout, StringComparison.Ordinal);

        run = await BenchCli.RunAsync(b.Root, "--site", site.Name, "scheduler", "resume");
        Assert.Equal((0, $"Scheduler resumed for site {site.Name}"), (run.ExitCode, run.Stdout.Trim()));
        Assert.Equal("enabled", await StatusAsync(b, site.Name));

        run = await BenchCli.RunAsync(b.Root, "--site", site.Name, "scheduler", "disable");
        Assert.Equal((0, $"Scheduler disabled for site {site.Name}"), (run.ExitCode, run.Stdout.Trim()));
        Assert.Equal("disabled", await StatusAsync(b, site.Name));
        run = await BenchCli.RunAsync(b.Root, "--site", site.Name, "scheduler", "enable");
        Assert.Equal("enabled", await StatusAsync(b, site.Name));

        run = await BenchCli.RunAsync(b.Root, "--site", site.Name, "disable-scheduler");
        Assert.Equal((0, $"Disabled for {site.Name}"), (run.ExitCode, run.Stdout.Trim()));
        Assert.Equal("disabled", await StatusAsync(b, site.Name));
        run = await BenchCli.RunAsync(b.Root, "--site", site.Name, "scheduler", "status");
        Assert.Equal($"Scheduler is disabled for site {site.Name}", run.Stdout.Trim());
    }

    [Theory]
    [InlineData("maintenance_mode")]
    [InlineData("pause_scheduler")]
    [InlineData("disable_scheduler")]
    public async Task ConfigSwitchesInCommonConfigStopEverySite(string key)
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        Assert.Equal(0, (await BenchCli.RunAsync(b.Root, "--site", site.Name, "enable-scheduler")).ExitCode);
        Assert.Equal("enabled", await StatusAsync(b, site.Name));
        b.Bench.UpdateCommonConfig(c => c[key] = 1);
        Assert.Equal("disabled", await StatusAsync(b, site.Name));
        Assert.Equal("inactive", await HttpStatusAsync(BenchHost.Sites(b.Bench).Find(site.Name)!));
        b.Bench.UpdateCommonConfig(c => c[key] = 0);
        Assert.Equal("enabled", await StatusAsync(b, site.Name));
    }

    [Fact]
    public async Task NewSiteWithEnableSchedulerStartsEnabled()
    {
        await using var b = new TempBench();
        var name = TempBench.UniqueSite();
        var run = await BenchCli.RunAsync(b.Root, "new-site", name, "--db-type", "sqlite", "--admin-password", "admin", "--enable-scheduler");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("enabled", await StatusAsync(b, name));
    }

    [Fact]
    public async Task BadStatesAndFormatsAreRefusedAndChangeNothing()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        var before = File.ReadAllText(Path.Combine(site.Path, "site_config.json"));
        var run = await BenchCli.RunAsync(b.Root, "--site", site.Name, "scheduler", "explode");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("explode", run.Output, StringComparison.Ordinal);
        run = await BenchCli.RunAsync(b.Root, "--site", site.Name, "scheduler", "status", "--format", "yaml");
        Assert.NotEqual(0, run.ExitCode);
        run = await BenchCli.RunAsync(b.Root, "--site", "nosuchsite.localhost", "enable-scheduler");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Site nosuchsite.localhost does not exist", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(site.Path, "site_config.json")));
        Assert.Equal("disabled", await StatusAsync(b, site.Name));
    }

    [Fact]
    public async Task TriggerSchedulerEventRunsTheJobNowWithItsLog()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        await using (var db = await site.OpenDatabaseAsync())
            await Rows.InsertAsync(db, "tabSessions", new Dictionary<string, object?> { ["sid"] = "ancient", ["user"] = "Administrator", ["lastupdate"] = new DateTime(2000, 1, 1) });

        var run = await BenchCli.RunAsync(b.Root, "--site", site.Name, "trigger-scheduler-event", SchedulingMethods.ClearExpiredSessions);
        Assert.True(run.ExitCode == 0, run.Output);
        await using (var db = await site.OpenDatabaseAsync())
        {
            var d = db.Dialect;
            Assert.Null(await db.ScalarAsync($"SELECT 1 FROM {d.Quote("tabSessions")} WHERE {d.Quote("sid")} = @p0", ["ancient"]));
            var job = (await ScheduledJobType.FindAsync(db, SchedulingMethods.ClearExpiredSessions))!;
            Assert.NotNull(job.LastExecution);
            var status = await db.ScalarAsync($"SELECT {d.Quote("status")} FROM {d.Quote(ScheduledJobType.LogTable)} WHERE {d.Quote("scheduled_job_type")} = @p0", [job.Name]);
            Assert.Equal("Complete", status);
        }

        run = await BenchCli.RunAsync(b.Root, "--site", site.Name, "trigger-scheduler-event", "no.such.event");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Event no.such.event does not exist", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadTickIntervalIsAnErrorNamingTheKey()
    {
        foreach (var bad in new JsonNode[] { "soon", 0, -5, JsonValue.Create(true)!, new JsonArray() })
        {
            var config = new SiteConfig(new JsonObject { ["scheduler_tick_interval"] = bad });
            var e = Assert.Throws<BenchException>(() => SchedulerSettings.Tick(config));
            Assert.Contains("scheduler_tick_interval", e.Message, StringComparison.Ordinal);
        }
        Assert.Equal(TimeSpan.FromSeconds(60), SchedulerSettings.Tick(new SiteConfig([])));
        Assert.Equal(TimeSpan.FromSeconds(15), SchedulerSettings.Tick(new SiteConfig(new JsonObject { ["scheduler_tick_interval"] = "15" })));
    }
}
