using SharpBench.Sites;

namespace SharpBench.Cli.Apps;

/// <summary>
/// The local NuGet feed holding the <c>SharpBench</c> package apps compile against: the folder
/// <c>SHARPBENCH_FEED</c> names, else <c>feed/</c> beside the bench executable (the image's
/// <c>/opt/sharpbench/feed</c>; the <c>./bench</c> wrapper packs into <c>.build/bench/feed</c>).
/// </summary>
internal sealed record FrameworkFeed(string Folder, string Version)
{
    public const string PackageId = "SharpBench";

    public static FrameworkFeed Locate()
    {
        var folder = Environment.GetEnvironmentVariable("SHARPBENCH_FEED") is { Length: > 0 } env ? Path.GetFullPath(env) : Path.Combine(AppContext.BaseDirectory, "feed");
        var newest = Directory.Exists(folder)
            ? new DirectoryInfo(folder).EnumerateFiles(PackageId + ".*.nupkg").Where(f => !f.Name.EndsWith(".symbols.nupkg", StringComparison.Ordinal)).MaxBy(f => f.LastWriteTimeUtc)
            : null;
        if (newest is null)
            throw new BenchException($"No {PackageId} package in {folder}: apps compile against it. Make it with `dotnet pack src/SharpBench -o {folder}` from the SharpBench sources (./bench does this), or set SHARPBENCH_FEED.");
        return new FrameworkFeed(folder, newest.Name[(PackageId.Length + 1)..^".nupkg".Length]);
    }
}
