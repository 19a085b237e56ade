using SharpBench.Sites;

namespace SharpBench.Backups;

/// <summary>
/// Frappe's <c>keep_backups_for_hours</c> (default 24): after a backup, older backup files of the
/// same site are removed, and so are temporary files a killed backup left (after a day). Only
/// files named like a backup of this site are ever touched, and never the set just written.
/// </summary>
public static class BackupRetention
{
    public static List<string> Sweep(string folder, string site, SiteConfig config, IReadOnlySet<string> keep)
    {
        var hours = config.GetInt("keep_backups_for_hours") ?? 24;
        var removed = new List<string>();
        if (hours <= 0 || !Directory.Exists(folder))
            return removed;
        var cutoff = SharpBench.Model.SiteTime.Server.Now().AddHours(-hours);
        var slug = BackupNames.Slug(site);
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            if (keep.Contains(path))
                continue;
            var parsed = BackupNames.Parse(name);
            var stale = parsed is { } p
                ? p.Slug == slug && p.Taken < cutoff
                : BackupNames.IsTemporary(name) && name.Contains("-" + slug + "-", StringComparison.Ordinal) && File.GetLastWriteTime(path) < SharpBench.Model.SiteTime.Server.Now().AddDays(-1);
            if (!stale)
                continue;
            try
            {
                File.Delete(path);
                removed.Add(path);
            }
            catch (IOException)
            {
            }
        }
        return removed;
    }
}
