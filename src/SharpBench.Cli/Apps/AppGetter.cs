using SharpBench.Sites;

namespace SharpBench.Cli.Apps;

/// <summary>
/// <c>bench get-app URL|PATH [--branch B]</c>: clones the app into a hidden folder of
/// <c>apps/</c>, builds it there, and only then moves it to <c>apps/&lt;app&gt;</c> and adds it to
/// <c>sites/apps.txt</c>. Any failure removes the clone, so the bench is as it was.
/// </summary>
internal static class AppGetter
{
    public static async Task<string> GetAsync(Bench bench, string source, string? branch, Action<string> progress, CancellationToken ct)
    {
        var shown = GitUrl.Redact(source);
        var appsDir = Path.Combine(bench.Root, "apps");
        Directory.CreateDirectory(appsDir);
        var temp = Path.Combine(appsDir, $".get-app-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
        string? app = null;
        var assetsMade = false;
        try
        {
            await FetchAsync(source, branch, temp, progress, ct);
            app = AppProject.NameOf(temp, shown);
            if (Directory.Exists(Path.Combine(appsDir, app)) || bench.Apps.Contains(app))
                throw new BenchException($"{shown} is the app {app}, and the bench already has an app of that name (apps/{app}): two apps cannot share a name.");
            assetsMade = !Directory.Exists(Path.Combine(bench.SitesPath, "assets", app));
            await AppBuilder.BuildAsync(bench, app, temp, progress, ct);
            Directory.Move(temp, Path.Combine(appsDir, app));
            Register(bench, app);
            progress($"{app}: added to sites/apps.txt");
            return app;
        }
        catch
        {
            if (Directory.Exists(temp))
                Directory.Delete(temp, recursive: true);
            if (app is not null && assetsMade && !bench.Apps.Contains(app) && Directory.Exists(Path.Combine(bench.SitesPath, "assets", app)))
                Directory.Delete(Path.Combine(bench.SitesPath, "assets", app), recursive: true);
            throw;
        }
    }

    /// <summary>A git URL or repository path is cloned (shallow, at the branch); a plain folder is copied.</summary>
    private static async Task FetchAsync(string source, string? branch, string target, Action<string> progress, CancellationToken ct)
    {
        var shown = GitUrl.Redact(source);
        var isFolder = Directory.Exists(source);
        if (isFolder && !Directory.Exists(Path.Combine(source, ".git")) && !File.Exists(Path.Combine(source, "HEAD")))
        {
            if (branch is not null)
                throw new BenchException($"{source} is a folder, not a git repository: --branch needs one.");
            progress($"Copying {source}");
            CopyFolder(source, target);
            return;
        }
        progress($"Cloning {shown}" + (branch is null ? "" : $" at {branch}"));
        var args = new List<string> { "clone", "--quiet", "--depth", "1" };
        if (branch is not null)
            args.AddRange(["--branch", branch]);
        args.AddRange(["--", isFolder ? "file://" + Path.GetFullPath(source) : source, target]);
        var result = await ToolRun.RunAsync("git", args, null, ct);
        if (result.ExitCode != 0 && result.Output.Contains("does not support shallow", StringComparison.Ordinal))
        {
            // A static ("dumb") HTTP server cannot serve a shallow clone: take the whole history.
            if (Directory.Exists(target))
                Directory.Delete(target, recursive: true);
            args.RemoveRange(2, 2);
            result = await ToolRun.RunAsync("git", args, null, ct);
        }
        if (result.ExitCode != 0)
        {
            var reason = GitUrl.Scrub(result.Output.Trim(), source).Replace("\n", " ", StringComparison.Ordinal);
            throw new BenchException(branch is not null && reason.Contains("not found in upstream", StringComparison.Ordinal)
                ? $"Could not get {shown}: it has no branch or tag {branch} ({reason})"
                : $"Could not get {shown}: {reason}");
        }
        // The token stays out of the bench (and out of any image made from it).
        await ToolRun.RunAsync("git", ["-C", target, "remote", "set-url", "origin", GitUrl.WithoutCredentials(source)], null, ct);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, dir);
            if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" or ".git"))
                continue;
            Directory.CreateDirectory(Path.Combine(to, rel));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, file);
            if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" or ".git"))
                continue;
            File.Copy(file, Path.Combine(to, rel));
        }
    }

    /// <summary>Appends the app to sites/apps.txt (one a line, core app first), as bench does.</summary>
    public static void Register(Bench bench, string app)
    {
        var apps = bench.Apps.ToList();
        if (apps.Contains(app))
            return;
        apps.Add(app);
        File.WriteAllText(Path.Combine(bench.SitesPath, Bench.AppsFile), string.Join('\n', apps) + "\n");
    }
}
