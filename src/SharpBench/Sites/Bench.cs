using System.Text.Json.Nodes;

namespace SharpBench.Sites;

/// <summary>
/// A bench folder: <c>sites/</c> with the common config, the app list and one folder per site,
/// laid out exactly as Frappe lays it out so the same volume works with either.
/// </summary>
public sealed class Bench
{
    public const string CommonConfigFile = "common_site_config.json";
    public const string SiteConfigFile = "site_config.json";
    public const string CurrentSiteFile = "currentsite.txt";
    public const string AppsFile = "apps.txt";
    public const string CoreApp = "frappe";

    public Bench(string root)
    {
        Root = Path.GetFullPath(root);
        SitesPath = Path.Combine(Root, "sites");
    }

    public string Root { get; }
    public string SitesPath { get; }
    public string CommonConfigPath => Path.Combine(SitesPath, CommonConfigFile);
    public string ArchivedSitesPath => Path.Combine(Root, "archived_sites");
    public string LogsPath => Path.Combine(Root, "logs");

    /// <summary>
    /// The bench is the working directory (or <c>BENCH_PATH</c>); started from inside
    /// <c>sites/</c>, as Frappe's own commands are, it is the parent.
    /// </summary>
    public static Bench Locate(string? explicitRoot = null)
    {
        var root = explicitRoot ?? Environment.GetEnvironmentVariable("BENCH_PATH") ?? Directory.GetCurrentDirectory();
        var full = Path.GetFullPath(root);
        if (Path.GetFileName(full) == "sites" && File.Exists(Path.Combine(full, CommonConfigFile)))
            full = Path.GetDirectoryName(full)!;
        return new Bench(full);
    }

    /// <summary>Creates the bench-wide files a fresh bench needs; leaves existing ones alone.</summary>
    public void EnsureLayout()
    {
        Directory.CreateDirectory(SitesPath);
        Directory.CreateDirectory(Path.Combine(SitesPath, "assets"));
        if (!File.Exists(CommonConfigPath))
            ConfigFile.Write(CommonConfigPath, []);
        if (!File.Exists(Path.Combine(SitesPath, AppsFile)))
            File.WriteAllText(Path.Combine(SitesPath, AppsFile), CoreApp + "\n");
    }

    public JsonObject ReadCommonConfig() => ConfigFile.Read(CommonConfigPath);

    /// <summary>Common config as the bench's own roles see it, with Frappe's FRAPPE_* overrides (e.g. FRAPPE_REDIS_QUEUE).</summary>
    public SiteConfig CommonConfig() => global::SharpBench.Sites.SiteConfig.Merge(ReadCommonConfig(), []);

    public JsonObject UpdateCommonConfig(Action<JsonObject> change) => ConfigFile.Update(CommonConfigPath, change);

    /// <summary>Apps of the bench in install order, core app first, as in <c>sites/apps.txt</c>.</summary>
    public IReadOnlyList<string> Apps
    {
        get
        {
            var path = Path.Combine(SitesPath, AppsFile);
            var apps = File.Exists(path)
                ? File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).Distinct().ToList()
                : [];
            apps.Remove(CoreApp);
            apps.Insert(0, CoreApp);
            return apps;
        }
    }

    /// <summary>The folder of a site, after the name was checked; never built from raw input.</summary>
    public string SitePath(string site)
    {
        SiteName.Validate(site);
        return Path.Combine(SitesPath, site);
    }

    public bool SiteExists(string site) =>
        SiteName.IsValid(site) && File.Exists(Path.Combine(SitesPath, site, SiteConfigFile));

    public IReadOnlyList<string> Sites =>
        Directory.Exists(SitesPath)
            ? Directory.EnumerateDirectories(SitesPath)
                .Select(Path.GetFileName)
                .Where(n => n is not null && SiteExists(n))
                .Select(n => n!)
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>
    /// The default site: <c>default_site</c> in common config (what Frappe v15's <c>bench use</c>
    /// writes), else <c>currentsite.txt</c> (what older benches and the dev server read).
    /// </summary>
    public string? DefaultSite
    {
        get
        {
            if (ReadCommonConfig()["default_site"] is JsonValue v && v.TryGetValue<string>(out var fromConfig) && !string.IsNullOrWhiteSpace(fromConfig))
                return fromConfig.Trim();
            var current = Path.Combine(SitesPath, CurrentSiteFile);
            if (File.Exists(current))
            {
                var name = File.ReadAllText(current).Trim();
                if (name.Length > 0)
                    return name;
            }
            return null;
        }
    }

    public void Use(string site)
    {
        if (!SiteExists(site))
            throw new BenchException($"Site {site} does not exist");
        UpdateCommonConfig(c => c["default_site"] = site);
        File.WriteAllText(Path.Combine(SitesPath, CurrentSiteFile), site);
    }

    public SiteConfig SiteConfig(string site)
    {
        var path = Path.Combine(SitePath(site), SiteConfigFile);
        if (!File.Exists(path))
            throw new BenchException($"Site {site} does not exist (no {path}).");
        return SharpBench.Sites.SiteConfig.Merge(ReadCommonConfig(), ConfigFile.Read(path));
    }
}
