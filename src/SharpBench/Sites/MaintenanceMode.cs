using System.Text.Json.Nodes;

namespace SharpBench.Sites;

/// <summary>
/// Frappe's <c>maintenance_mode</c> switch in a site's config: while it is on the web answers
/// 503 (or serves reads only, with <c>allow_reads_during_maintenance</c>), and the scheduler and
/// workers leave the site alone.
/// </summary>
public static class MaintenanceMode
{
    public static bool IsOn(SiteConfig config) => config.GetBool("maintenance_mode");

    /// <summary>Reads served, writes refused with InReadOnlyMode (Frappe's read-only mode).</summary>
    public static bool ReadsAllowed(SiteConfig config) => IsOn(config) && config.GetBool("allow_reads_during_maintenance");

    public static void Set(Bench bench, string site, bool on) =>
        ConfigFile.Update(Path.Combine(bench.SitePath(site), Bench.SiteConfigFile), c => c["maintenance_mode"] = on ? 1 : 0);

    /// <summary>
    /// Turns maintenance mode on for the span of an operation (migrate, restore) and puts back
    /// what the site's own config said before, however the operation ends: a site an operator had
    /// put in maintenance stays in it, any other leaves it.
    /// </summary>
    public static IDisposable Enter(Bench bench, string site)
    {
        var path = Path.Combine(bench.SitePath(site), Bench.SiteConfigFile);
        JsonNode? before = null;
        ConfigFile.Update(path, c =>
        {
            before = c["maintenance_mode"]?.DeepClone();
            c["maintenance_mode"] = 1;
        });
        return new Restore(path, before);
    }

    private sealed class Restore(string path, JsonNode? before) : IDisposable
    {
        public void Dispose()
        {
            if (!File.Exists(path))
                return;
            ConfigFile.Update(path, c =>
            {
                if (before is null)
                    c.Remove("maintenance_mode");
                else
                    c["maintenance_mode"] = before.DeepClone();
            });
        }
    }
}
