using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SharpBench.CoreApp;
using SharpBench.Scheduling;
using SharpBench.Sites;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.AppCommands;

/// <summary>
/// The issue's whole path natively: a bench from an apps.json naming the example app by a local
/// git URL, a site with the app, its method over HTTP, its doc_event's job on a worker, its cron
/// event through the scheduler, its asset, migrate twice, uninstall and install again.
/// </summary>
public sealed class AppLifecycleTests : IAsyncDisposable
{
    private const string App = "library_management";
    private readonly List<Process> _processes = [];
    private readonly StringBuilder _output = new();

    private async Task<AppKit.Result> BenchAsync(string root, params string[] args)
    {
        var r = await AppKit.BenchAsync(root, args);
        lock (_output)
            _output.AppendLine($"$ bench {string.Join(' ', args)} -> {r.ExitCode}\n{r.Output}");
        return r;
    }

    private void Start(string root, params string[] args)
    {
        var psi = BenchCli.StartInfo(root, args);
        psi.Environment["SHARPBENCH_LOG_FORMAT"] = "plain";
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    private string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    [Fact]
    public async Task AnAppFromAppsJsonWorksOnEveryRoleAndUninstallsCleanly()
    {
        var repo = await AppKit.ExampleRepoAsync();
        var work = AppKit.TempPath("sb-app-life-");
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "apps.json"), $$"""[{"url": "file://{{repo}}", "branch": "main"}]""");
        var root = Path.Combine(work, "frappe-bench");

        var init = await BenchAsync(work, "init", root, "--apps_path", Path.Combine(work, "apps.json"));
        Assert.True(init.ExitCode == 0, Output);
        Assert.True(File.Exists(Path.Combine(root, "apps", App, "bin", App + ".dll")), Output);
        Assert.Equal(["frappe", App], File.ReadAllLines(Path.Combine(root, "sites", "apps.txt")));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "sites", "assets", App, "manifest.json")))!;
        var hashed = (string)manifest["js/library.js"]!;
        Assert.Matches(@"^/assets/library_management/js/library\.[0-9a-f]{8}\.js$", hashed);

        var bench = new Bench(root);
        bench.UpdateCommonConfig(c =>
        {
            c["redis_queue"] = TestServices.RedisQueue;
            c["bench_id"] = "test-" + Guid.NewGuid().ToString("N")[..12];
            c["scheduler_tick_interval"] = 0.5;
            c["background_process_niceness"] = 1;
        });
        var site = TempBench.UniqueSite("app");
        Assert.True((await BenchAsync(root, "new-site", site, "--admin-password", "admin", "--install-app", App)).ExitCode == 0, Output);
        Assert.Contains(App, (await BenchAsync(root, "--site", site, "list-apps")).Output, StringComparison.Ordinal);

        // Migrate twice: the second run changes nothing.
        Assert.True((await BenchAsync(root, "--site", site, "migrate")).ExitCode == 0, Output);
        var siteObj = BenchHost.Sites(bench).Find(site)!;
        var before = await MigrateTests.SnapshotAsync(siteObj);
        var second = await BenchAsync(root, "--site", site, "migrate");
        Assert.True(second.ExitCode == 0, Output);
        Assert.Equal(before, await MigrateTests.SnapshotAsync(siteObj));

        // Bad input against this bench: nothing changes.
        var benchBefore = AppKit.Snapshot(Path.Combine(root, "sites")) + AppKit.Snapshot(Path.Combine(root, "apps"));
        var missing = await BenchAsync(root, "--site", site, "install-app", "no_such_app");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("App no_such_app is not in this bench", missing.Output, StringComparison.Ordinal);
        var copy = Path.Combine(work, "copy", App);
        AppKit.CopyApp(repo, copy);
        var twice = await BenchAsync(root, "get-app", copy);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("two apps cannot share a name", twice.Output, StringComparison.Ordinal);
        Assert.Equal(benchBefore, AppKit.Snapshot(Path.Combine(root, "sites")) + AppKit.Snapshot(Path.Combine(root, "apps")));

        // An app that does not compile: the errors are shown and the previous build stays.
        var api = Path.Combine(root, "apps", App, "Api.cs");
        var source = File.ReadAllText(api);
        var dll = Path.Combine(root, "apps", App, "bin", App + ".dll");
        var built = File.ReadAllBytes(dll);
        File.WriteAllText(api, source + "\npublic static class Broken { public static int X() => \"not an int\"; }\n");
        var broken = await BenchAsync(root, "build", "--app", App);
        File.WriteAllText(api, source);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("error CS0029", broken.Output, StringComparison.Ordinal);
        Assert.Contains("the previous build is kept", broken.Output, StringComparison.Ordinal);
        Assert.Equal(built, File.ReadAllBytes(dll));

        // Uninstall (no backup), then install again: after_install makes the first article.
        Assert.True((await BenchAsync(root, "--site", site, "uninstall-app", App, "--yes", "--no-backup")).ExitCode == 0, Output);
        Assert.DoesNotContain(App, (await BenchAsync(root, "--site", site, "list-apps")).Output, StringComparison.Ordinal);
        var install = await BenchAsync(root, "--site", site, "install-app", App);
        Assert.True(install.ExitCode == 0, Output);
        Assert.Contains($"Installed {App} on {site}", install.Output, StringComparison.Ordinal);

        // Every role: web, a worker, the scheduler.
        await using (var db = await siteObj.OpenDatabaseAsync())
        {
            await SchedulerState.SetEnabledAsync(db, true);
            var d = db.Dialect;
            await db.ExecuteAsync($"UPDATE {d.Quote(ScheduledJobType.Table)} SET {d.Quote("stopped")} = 1 WHERE {d.Quote("method")} NOT LIKE @p0", ["library_management.%"]);
            await db.ExecuteAsync($"UPDATE {d.Quote(ScheduledJobType.Table)} SET {d.Quote("last_execution")} = @p0 WHERE {d.Quote("method")} LIKE @p1", [DateTime.Now.AddHours(-3), "library_management.%"]);
        }
        var port = Ports.Free();
        Start(root, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1");
        Start(root, "worker", "--queue", "short,default,long");
        Start(root, "schedule");
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Frappe-Site-Name", site);
        var sid = await ServeProcess.LoginWhenUpAsync(http, "bench serve answers\n" + Output);

        var catalogue = JsonNode.Parse(await http.GetStringAsync("/api/method/library_management.api.catalogue"))!["message"]!.AsArray();
        var welcome = Assert.Single(catalogue);
        Assert.Equal("Welcome to the library", (string?)welcome!["article_name"]);
        var article = (string)welcome["name"]!;

        using (var post = new HttpRequestMessage(HttpMethod.Post, "/api/resource/Library Loan"))
        {
            post.Headers.Add("Cookie", sid);
            post.Content = new StringContent($$"""{"member_name": "Ada", "articles": [{"article": "{{article}}"}]}""", Encoding.UTF8, "application/json");
            using var created = await http.SendAsync(post);
            Assert.True(created.StatusCode == HttpStatusCode.OK, await created.Content.ReadAsStringAsync());
        }
        await JobBench.WaitUntilAsync(async () =>
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, "/api/resource/Article/" + article);
            get.Headers.Add("Cookie", sid);
            using var r = await http.SendAsync(get);
            return (string?)JsonNode.Parse(await r.Content.ReadAsStringAsync())?["data"]?["status"] == "Issued";
        }, TimeSpan.FromSeconds(60), "the doc_event's job marks the article Issued on the worker\n" + Output);

        await JobBench.WaitUntilAsync(async () =>
        {
            await using var db = await siteObj.OpenDatabaseAsync();
            var d = db.Dialect;
            var done = await db.ScalarAsync(
                $"SELECT COUNT(*) FROM {d.Quote(ScheduledJobType.LogTable)} l JOIN {d.Quote(ScheduledJobType.Table)} t ON t.{d.Quote("name")} = l.{d.Quote("scheduled_job_type")} WHERE t.{d.Quote("method")} = @p0 AND l.{d.Quote("status")} = @p1",
                ["library_management.tasks.count_loans", "Complete"]);
            return Convert.ToInt32(done, System.Globalization.CultureInfo.InvariantCulture) > 0;
        }, TimeSpan.FromSeconds(60), "the cron event runs through the scheduler\n" + Output);

        foreach (var path in new[] { "/assets/library_management/js/library.js", hashed })
        {
            using var asset = await http.GetAsync(path);
            Assert.True(asset.StatusCode == HttpStatusCode.OK, path);
            Assert.Contains("library_management.api.catalogue", await asset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Uninstall with its backup: the tables go, the site answers without them.
        var uninstall = await BenchAsync(root, "--site", site, "uninstall-app", App, "--yes");
        Assert.True(uninstall.ExitCode == 0, Output);
        Assert.Contains("-database.sql.gz", uninstall.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(App, (await BenchAsync(root, "--site", site, "list-apps")).Output, StringComparison.Ordinal);
        await JobBench.WaitUntilAsync(async () =>
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, "/api/resource/Article");
            get.Headers.Add("Cookie", sid);
            using var r = await http.SendAsync(get);
            return r.StatusCode == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(15), "the web role sees the uninstall\n" + Output);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            try
            {
                if (!p.HasExited)
                    p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
