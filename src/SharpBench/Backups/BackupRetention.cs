using SharpBench.Sites;

namespace SharpBench.Backups;

/// <summary>
/// Frappe's <c>keep_backups_for_hours</c> (default 24): after a backup, older backup files of the
/// same site are removed, and so are temporary files a killed backup left (after a day). Only
/// files named like a backup of this site are ever touched, and never the set just written.
/// </summary>
public static class BackupRetention
{
    /// <summary>A file of the site's backups folder named like one of its backups, or like a temporary file of one.</summary>
    internal sealed record Candidate(string Path, DateTime? Taken);

    public static List<string> Sweep(string folder, string site, SiteConfig config, IReadOnlySet<string> keep) =>
        Remove(Candidates(folder, site), config, keep);

    /// <summary>
    /// The site's backup files in the folder, by name. Listing and parsing the names does not
    /// depend on the backup being taken, so it runs while the dump does; only the removal waits.
    /// </summary>
    internal static List<Candidate> Candidates(string folder, string site)
    {
        var found = new List<Candidate>();
        if (!Directory.Exists(folder))
            return found;
        var slug = BackupNames.Slug(site);
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            if (BackupNames.Parse(name) is { } p)
            {
                if (p.Slug == slug)
                    found.Add(new Candidate(path, p.Taken));
            }
            else if (BackupNames.IsTemporary(name) && name.Contains("-" + slug + "-", StringComparison.Ordinal))
            {
                found.Add(new Candidate(path, null));
            }
        }
        return found;
    }

    internal static List<string> Remove(List<Candidate> candidates, SiteConfig config, IReadOnlySet<string> keep)
    {
        var hours = config.GetInt("keep_backups_for_hours") ?? 24;
        var removed = new List<string>();
        if (hours <= 0)
            return removed;
        var now = SharpBench.Model.SiteTime.Server.Now();
        var cutoff = now.AddHours(-hours);
        foreach (var (path, taken) in candidates)
        {
            if (keep.Contains(path))
                continue;
            var stale = taken is { } t ? t < cutoff : File.Exists(path) && File.GetLastWriteTime(path) < now.AddDays(-1);
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
