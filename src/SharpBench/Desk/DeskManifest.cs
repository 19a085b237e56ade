using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using SharpBench.Sites;

namespace SharpBench.Desk;

/// <summary>
/// The built desk's entry files, read from the Vite manifest that <c>bench build</c> writes to
/// <c>sites/assets/frappe/desk/.vite/manifest.json</c>. The names carry content hashes, so the
/// page must ask the manifest which ones are current; it is re-read when the file changes, so a
/// rebuild takes effect without a restart.
/// </summary>
public sealed record DeskManifest(IReadOnlyList<string> Scripts, IReadOnlyList<string> Styles)
{
    /// <summary>Where the desk's files live under <c>sites/assets</c>, and their URL prefix.</summary>
    public const string AssetsFolder = "frappe/desk";
    public const string UrlPrefix = "/assets/" + AssetsFolder + "/";
    public const string Entry = "src/main.ts";

    // Process-wide on purpose: keyed by the build folder and checked against the file's stamp, it caches a file, whichever host reads it.
    private static readonly ConcurrentDictionary<string, (DateTime Stamp, DeskManifest? Manifest)> Cache = new();

    public static string FolderFor(Bench bench) => Path.Combine(bench.SitesPath, "assets", "frappe", "desk");

    /// <summary>The current build's entry, or null when the desk was never built (the no-JS pages stay).</summary>
    public static DeskManifest? Read(Bench bench) => Read(FolderFor(bench));

    /// <summary>The entry of the build in <paramref name="folder"/> (a <c>bench build</c> output folder).</summary>
    public static DeskManifest? Read(string folder)
    {
        var path = Path.Combine(folder, ".vite", "manifest.json");
        var info = new FileInfo(path);
        if (!info.Exists)
            return null;
        var stamp = info.LastWriteTimeUtc;
        if (Cache.TryGetValue(path, out var cached) && cached.Stamp == stamp)
            return cached.Manifest;
        DeskManifest? manifest;
        try
        {
            manifest = Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException)
        {
            manifest = null;
        }
        Cache[path] = (stamp, manifest);
        return manifest;
    }

    public static DeskManifest Parse(string json)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("manifest is not an object");
        var entry = root[Entry] as JsonObject ?? throw new InvalidDataException($"manifest has no entry {Entry}");
        var file = entry["file"]?.GetValue<string>() ?? throw new InvalidDataException("entry has no file");
        var css = (entry["css"] as JsonArray)?.Select(c => UrlPrefix + c!.GetValue<string>()).ToList() ?? [];
        return new DeskManifest([UrlPrefix + file], css);
    }
}
