using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Sites;

namespace SharpBench.Cli.Apps;

/// <summary>
/// <c>bench build --app A</c>: checks the app's DocType JSON, compiles it against the framework
/// package into <c>apps/&lt;app&gt;/bin/</c> (where every role loads it from), and copies its
/// <c>public/</c> into <c>sites/assets/&lt;app&gt;/</c> with a content-hashed manifest. Each output is
/// made beside the old one and swapped in only when complete, so a failed build keeps the
/// previous one and a running role never reads half a build.
/// </summary>
internal static class AppBuilder
{
    public const string ManifestFile = "manifest.json";

    public static async Task BuildAsync(Bench bench, string app, string source, Action<string> progress, CancellationToken ct)
    {
        progress($"{app}: checking DocTypes");
        var doctypes = AppProject.ValidateDocTypes(source, app);
        await CompileAsync(bench, app, source, progress, ct);
        var assets = Assets(bench, app, source);
        progress($"{app}: {doctypes.Count} DocType(s), {assets} asset(s)");
    }

    private static async Task CompileAsync(Bench bench, string app, string source, Action<string> progress, CancellationToken ct)
    {
        var feed = FrameworkFeed.Locate();
        var staging = Path.Combine(Path.GetDirectoryName(source)!, $".build-{app}-{Environment.ProcessId}");
        var output = Path.Combine(source, "bin");
        progress($"{app}: compiling against {FrameworkFeed.PackageId} {feed.Version}");
        try
        {
            var result = await ToolRun.RunAsync("dotnet",
            [
                "publish", Path.Combine(source, app + ".csproj"), "-c", "Release", "-o", staging, "-nologo", "-v", "q",
                // Intermediate output under obj/, so bin/ holds only what the roles load.
                "-p:BaseOutputPath=" + Path.Combine(source, "obj", "build") + Path.DirectorySeparatorChar,
                "-p:SharpBenchVersion=" + feed.Version, "-p:SharpBenchFeed=" + feed.Folder,
                "-p:DebugType=portable", "-p:GenerateDocumentationFile=false",
            ], source, ct);
            if (result.ExitCode != 0)
            {
                var errors = result.Output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().ToList();
                throw new BenchException($"App {app} does not compile; the previous build is kept.\n" +
                    string.Join('\n', errors.Count > 0 ? errors : result.Output.Split('\n').TakeLast(20)));
            }
            if (!File.Exists(Path.Combine(staging, app + ".dll")))
                throw new BenchException($"App {app}: the build made no {app}.dll (is the project's AssemblyName {app}?); the previous build is kept.");
            var old = output + ".old-" + Environment.ProcessId;
            if (Directory.Exists(output))
                Directory.Move(output, old);
            Directory.Move(staging, output);
            if (Directory.Exists(old))
                Directory.Delete(old, recursive: true);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Copies <c>public/</c> to <c>sites/assets/&lt;app&gt;/</c>: each file under its own name and
    /// under a content-hashed one (<c>js/library.3f2a9c1b.js</c>), which a page can be cached
    /// for ever under; <c>manifest.json</c> maps the first to the second.
    /// </summary>
    public static int Assets(Bench bench, string app, string source)
    {
        var publicDir = Path.Combine(source, "public");
        var assetsRoot = Path.Combine(bench.SitesPath, "assets");
        var target = Path.Combine(assetsRoot, app);
        if (!Directory.Exists(publicDir))
            return 0;
        Directory.CreateDirectory(assetsRoot);
        var staging = Path.Combine(assetsRoot, $".{app}.build-{Environment.ProcessId}");
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);
        var manifest = new JsonObject();
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(publicDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(publicDir, file).Replace('\\', '/');
            var bytes = File.ReadAllBytes(file);
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..8];
            var ext = Path.GetExtension(rel);
            var hashed = rel[..^ext.Length] + "." + hash + ext;
            foreach (var name in new[] { rel, hashed })
            {
                var path = Path.Combine(staging, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, bytes);
            }
            manifest[rel] = $"/assets/{app}/{hashed}";
            count++;
        }
        File.WriteAllText(Path.Combine(staging, ManifestFile), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var old = Path.Combine(assetsRoot, $".{app}.old-{Environment.ProcessId}");
        if (Directory.Exists(target))
            Directory.Move(target, old);
        Directory.Move(staging, target);
        if (Directory.Exists(old))
            Directory.Delete(old, recursive: true);
        return count;
    }
}
