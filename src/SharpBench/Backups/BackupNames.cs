using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpBench.Backups;

/// <summary>
/// Frappe's backup file names: <c>{yyyyMMdd_HHmmss}-{site with . as _}[-partial]-database[-enc].sql.gz</c>,
/// <c>-site_config_backup[-enc].json</c>, <c>-files[-enc].tar|tgz</c>, <c>-private-files[-enc].tar|tgz</c>.
/// Files being written carry a leading dot and a <c>.tmp</c> suffix, so nothing that matches
/// these names is ever incomplete.
/// </summary>
public static partial class BackupNames
{
    public const string TimestampFormat = "yyyyMMdd_HHmmss";

    [GeneratedRegex(@"^(\d{8}_\d{6})-(.+?)(-partial)?-(database|site_config_backup|files|private-files)(-enc)?\.(sql\.gz|json|tar|tgz)$")]
    private static partial Regex BackupFile();

    public static string Slug(string site) => site.Replace('.', '_');

    public static string Timestamp(DateTime localNow) => localNow.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static string Database(string ts, string site, bool partial, bool encrypted) =>
        $"{ts}-{Slug(site)}{(partial ? "-partial" : "")}-database{Enc(encrypted)}.sql.gz";

    public static string Config(string ts, string site, bool encrypted) => $"{ts}-{Slug(site)}-site_config_backup{Enc(encrypted)}.json";

    public static string PublicFiles(string ts, string site, bool compress, bool encrypted) =>
        $"{ts}-{Slug(site)}-files{Enc(encrypted)}.{(compress ? "tgz" : "tar")}";

    public static string PrivateFiles(string ts, string site, bool compress, bool encrypted) =>
        $"{ts}-{Slug(site)}-private-files{Enc(encrypted)}.{(compress ? "tgz" : "tar")}";

    /// <summary>The name a file has while it is written: hidden, and with a suffix no reader accepts.</summary>
    public static string Temporary(string finalPath) =>
        Path.Combine(Path.GetDirectoryName(finalPath)!, "." + Path.GetFileName(finalPath) + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp");

    public static bool IsTemporary(string fileName) => fileName.StartsWith('.') && fileName.EndsWith(".tmp", StringComparison.Ordinal);

    /// <summary>The time stamp and site slug of a backup file name, or null for any other file.</summary>
    public static (DateTime Taken, string Slug)? Parse(string fileName)
    {
        var m = BackupFile().Match(fileName);
        if (!m.Success)
            return null;
        return DateTime.TryParseExact(m.Groups[1].Value, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var taken)
            ? (taken, m.Groups[2].Value)
            : null;
    }

    /// <summary>The config backup written beside a database backup (same time stamp and site), if it exists.</summary>
    public static string? SiblingConfig(string databasePath)
    {
        var name = Path.GetFileName(databasePath);
        var m = BackupFile().Match(name);
        if (!m.Success)
            return null;
        foreach (var enc in new[] { "", "-enc" })
        {
            var candidate = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, $"{m.Groups[1].Value}-{m.Groups[2].Value}-site_config_backup{enc}.json");
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    private static string Enc(bool encrypted) => encrypted ? "-enc" : "";
}
