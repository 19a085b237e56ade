using SharpBench.Sites;

namespace SharpBench.Cli.Apps;

/// <summary>
/// <c>bench init PATH [--apps_path apps.json]</c>: a new bench (apps/frappe, sites/ with
/// <c>apps.txt</c> and an empty common config, logs/), then <c>get-app</c> for every entry of the
/// apps.json in order. The file is read in full first; if any app fails, the new bench is removed.
/// The custom and layered images run exactly this in their builder stage.
/// </summary>
internal static class BenchInit
{
    public static async Task<Bench> InitAsync(string path, string? appsPath, Action<string> progress, CancellationToken ct)
    {
        var specs = appsPath is null ? [] : AppsJson.Read(appsPath);
        var root = Path.GetFullPath(path);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            throw new BenchException($"{root} already exists and is not empty: bench init makes a new bench.");
        var made = !Directory.Exists(root);
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "apps", Bench.CoreApp));
            Directory.CreateDirectory(Path.Combine(root, "logs"));
            Directory.CreateDirectory(Path.Combine(root, "config"));
            var bench = new Bench(root);
            bench.EnsureLayout();
            progress($"Bench created at {root} with the core app {Bench.CoreApp}");
            foreach (var spec in specs)
                await AppGetter.GetAsync(bench, spec.Url, spec.Branch, progress, ct);
            return bench;
        }
        catch
        {
            if (made && Directory.Exists(root))
                Directory.Delete(root, recursive: true);
            else if (Directory.Exists(root))
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(root))
                {
                    if (Directory.Exists(entry))
                        Directory.Delete(entry, recursive: true);
                    else
                        File.Delete(entry);
                }
            }
            throw;
        }
    }
}
