namespace SharpBench.Tests.AppCommands;

/// <summary>
/// Each bad input of bench init, get-app and new-app: a clear error, exit 1, and the bench (or
/// the folder bench init was asked to make) exactly as it was.
/// </summary>
public class AppBadInputTests
{
    private static async Task<(AppKit.Result Result, string Path)> InitAsync(string appsJson)
    {
        var work = AppKit.TempPath("sb-init-");
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "apps.json"), appsJson);
        var target = Path.Combine(work, "frappe-bench");
        var r = await AppKit.BenchAsync(work, "init", target, "--apps_path", Path.Combine(work, "apps.json"));
        return (r, target);
    }

    [Fact]
    public async Task AnAppsJsonThatIsNotAnArrayIsRefusedBeforeAnythingIsMade()
    {
        var (r, target) = await InitAsync("""{"url": "https://example.invalid/app.git"}""");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("must be a JSON array", r.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task AnEntryWithoutUrlIsNamed()
    {
        var (r, target) = await InitAsync("""[{"url": "https://example.invalid/a.git"}, {"branch": "main"}]""");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("entry 2 has no \"url\"", r.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task TheSameRepositoryTwiceIsRefused()
    {
        var (r, target) = await InitAsync("""[{"url": "https://example.invalid/a.git"}, {"url": "https://example.invalid/a"}]""");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("more than once", r.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task ABranchTheRepositoryDoesNotHaveIsNamedAndNoBenchIsLeft()
    {
        var repo = await AppKit.ExampleRepoAsync();
        var (r, target) = await InitAsync($$"""[{"url": "file://{{repo}}", "branch": "no-such-branch"}]""");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no branch or tag no-such-branch", r.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task AnUnreachableRepositoryFailsWithoutPrintingTheTokenInItsUrl()
    {
        const string token = "ghp_SbTestToken1234567890";
        var (r, target) = await InitAsync($$"""[{"url": "https://sb-user:{{token}}@127.0.0.1:9/org/private_app.git", "branch": "main"}]""");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Could not get https://***@127.0.0.1:9/org/private_app.git", r.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, r.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("sb-user", r.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task AnAppWithAnInvalidDocTypeNamesTheFileAndTheFieldAndIsNotAdded()
    {
        var work = AppKit.TempPath("sb-bad-doctype-");
        var bench = Path.Combine(work, "frappe-bench");
        Directory.CreateDirectory(work);
        Assert.Equal(0, (await AppKit.BenchAsync(work, "init", bench)).ExitCode);
        var app = Path.Combine(work, "src", "library_management");
        AppKit.CopyApp(Path.Combine(AppKit.RepoRoot, "apps", "library_management"), app);
        var json = Path.Combine(app, "library_management", "doctype", "article", "article.json");
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"fieldtype\": \"Select\"", "\"fieldtype\": \"Dropdown\"", StringComparison.Ordinal));
        var before = AppKit.Snapshot(bench);

        var r = await AppKit.BenchAsync(bench, "get-app", app);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("apps/library_management/library_management/doctype/article/article.json", r.Output, StringComparison.Ordinal);
        Assert.Contains("field 'status' has unknown type 'Dropdown'", r.Output, StringComparison.Ordinal);
        Assert.Equal(before, AppKit.Snapshot(bench));
    }

    [Fact]
    public async Task NewAppRefusesAnInvalidName()
    {
        var work = AppKit.TempPath("sb-new-app-");
        var bench = Path.Combine(work, "frappe-bench");
        Directory.CreateDirectory(work);
        Assert.Equal(0, (await AppKit.BenchAsync(work, "init", bench)).ExitCode);
        var before = AppKit.Snapshot(bench);
        var r = await AppKit.BenchAsync(bench, "new-app", "Library-App");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not a valid app name", r.Output, StringComparison.Ordinal);
        Assert.Equal(before, AppKit.Snapshot(bench));
    }
}
