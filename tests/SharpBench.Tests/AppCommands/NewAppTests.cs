namespace SharpBench.Tests.AppCommands;

/// <summary><c>bench new-app</c>: the scaffold builds into the bench, and its own tests pass.</summary>
public class NewAppTests
{
    [Fact]
    public async Task NewAppScaffoldsAnAppThatBuildsAndPassesItsOwnTests()
    {
        var work = AppKit.TempPath("sb-new-app-");
        var root = Path.Combine(work, "frappe-bench");
        Directory.CreateDirectory(work);
        Assert.Equal(0, (await AppKit.BenchAsync(work, "init", root)).ExitCode);

        var r = await AppKit.BenchAsync(root, "new-app", "reading_list");
        Assert.True(r.ExitCode == 0, r.Output);
        var app = Path.Combine(root, "apps", "reading_list");
        Assert.True(File.Exists(Path.Combine(app, "bin", "reading_list.dll")), r.Output);
        Assert.Contains("reading_list", File.ReadAllLines(Path.Combine(root, "sites", "apps.txt")));
        foreach (var file in new[] { "reading_list.csproj", "ReadingListApp.cs", "patches.txt", "public/js/reading_list.js", "reading_list/doctype", "tests/AppTests.cs" })
            Assert.True(File.Exists(Path.Combine(app, file)) || Directory.Exists(Path.Combine(app, file)), file);
        Assert.True(File.Exists(Path.Combine(root, "sites", "assets", "reading_list", "js", "reading_list.js")));

        var feed = await AppKit.FeedAsync();
        var version = Path.GetFileNameWithoutExtension(Directory.GetFiles(feed, "SharpBench.*.nupkg").Single())["SharpBench.".Length..];
        var test = await AppKit.RunToolAsync("dotnet", app, TimeSpan.FromMinutes(8), "test", "tests", "-nologo",
            "-p:SharpBenchFeed=" + feed, "-p:SharpBenchVersion=" + version);
        Assert.True(test.ExitCode == 0, test.Output);
    }
}
