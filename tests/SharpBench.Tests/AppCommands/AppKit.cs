using System.Diagnostics;
using System.Text;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.AppCommands;

/// <summary>
/// What the app tests share: the framework packed once into a local feed (as ./bench and the
/// image do), the example app as a git repository, and bench processes with that feed.
/// </summary>
public static class AppKit
{
    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SharpBench.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("the SharpBench checkout was not found above " + AppContext.BaseDirectory);
    }

    private static readonly Lazy<Task<string>> Feed = new(PackAsync);
    private static readonly Lazy<Task<string>> Repo = new(MakeRepoAsync);

    /// <summary>A folder holding SharpBench.&lt;version&gt;.nupkg, made once per test run.</summary>
    public static Task<string> FeedAsync() => Feed.Value;

    /// <summary>apps/library_management committed to a fresh git repository (branch main); its path.</summary>
    public static Task<string> ExampleRepoAsync() => Repo.Value;

    private static async Task<string> PackAsync()
    {
        var feed = Path.Combine(Path.GetTempPath(), "sb-feed-" + Guid.NewGuid().ToString("N")[..8]);
        var version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var r = await RunToolAsync("dotnet", RepoRoot, TimeSpan.FromMinutes(5), "pack", Path.Combine(RepoRoot, "src", "SharpBench", "SharpBench.csproj"),
            "-c", "Release", "-o", feed, "-nologo", "-v", "q", "-p:PackageVersion=" + version);
        Assert.True(r.ExitCode == 0, "dotnet pack failed:\n" + r.Output);
        return feed;
    }

    /// <summary>A copy of an app folder without its build output.</summary>
    public static void CopyApp(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, file);
            if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, rel))!);
            File.Copy(file, Path.Combine(to, rel));
        }
    }

    private static async Task<string> MakeRepoAsync()
    {
        var repo = Path.Combine(Path.GetTempPath(), "sb-app-repo-" + Guid.NewGuid().ToString("N")[..8], "library_management");
        CopyApp(Path.Combine(RepoRoot, "apps", "library_management"), repo);
        foreach (var args in new[]
        {
            new[] { "init", "--quiet", "--initial-branch", "main" },
            ["add", "-A"],
            ["-c", "user.email=tests@sharpbench.invalid", "-c", "user.name=tests", "commit", "--quiet", "-m", "library_management"],
        })
        {
            var r = await RunToolAsync("git", repo, TimeSpan.FromMinutes(1), args);
            Assert.True(r.ExitCode == 0, "git " + string.Join(' ', args) + ":\n" + r.Output);
        }
        return repo;
    }

    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunToolAsync(string program, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return new Result(process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Runs <c>bench ARGS</c> in <paramref name="workingDirectory"/> with the test feed (at most five minutes: a compile under load).</summary>
    public static async Task<Result> BenchAsync(string workingDirectory, params string[] args)
    {
        var psi = BenchCli.StartInfo(workingDirectory, args);
        psi.Environment["SHARPBENCH_FEED"] = await FeedAsync();
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Every file of a folder with its content hash: what "the bench is unchanged" compares.</summary>
    public static string Snapshot(string root)
    {
        if (!Directory.Exists(root))
            return "(none)";
        var sb = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            sb.Append(Path.GetRelativePath(root, file)).Append(' ').AppendLine(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file))));
        return sb.ToString();
    }

    public static string TempPath(string prefix) => Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..10]);
}
