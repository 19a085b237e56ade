using System.Globalization;
using SharpBench.Data;

namespace SharpBench.Backups;

/// <summary>
/// The header a database backup starts with: Frappe's <c>-- begin frappe metadata</c> block (so
/// Frappe's own restore reads it), with a <c>[sharpbench]</c> section that records the database
/// type and the schema version, which restore checks before it touches anything.
/// </summary>
public sealed record BackupMetadata(DbKind? DbType, int? SchemaVersion, string? Version, bool Partial, string? Site)
{
    /// <summary>
    /// The version of the tables SharpBench creates. Raise it when a release changes them in a
    /// way an older release could not read; restore refuses a backup from a newer one.
    /// </summary>
    public const int CurrentSchemaVersion = 1;

    public const string DumpCompleteMarker = "-- SharpBench dump complete";

    public static string FrameworkVersion =>
        typeof(BackupMetadata).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static string Header(DbKind kind, string site, IReadOnlyList<string>? includes, IReadOnlyList<string>? excludes)
    {
        var partial = includes is { Count: > 0 } || excludes is { Count: > 0 };
        var lines = new List<string>
        {
            "begin frappe metadata",
            "[frappe]",
            $"version = {FrameworkVersion}",
            "branch = sharpbench",
            "[sharpbench]",
            $"db_type = {kind.ConfigName()}",
            $"schema_version = {CurrentSchemaVersion.ToString(CultureInfo.InvariantCulture)}",
            $"site = {site}",
            $"partial = {(partial ? 1 : 0)}",
            "end frappe metadata",
        };
        if (partial)
        {
            lines.Add($"Partial Backup of Frappe Site {site}");
            lines.Add(includes is { Count: > 0 } ? "Backup contains: " + string.Join(", ", includes) : "Backup excludes: " + string.Join(", ", excludes!));
        }
        lines.Add("");
        return string.Concat(lines.Select(l => "-- " + l + "\n"));
    }

    /// <summary>
    /// Reads the header from the first lines of a dump. A Frappe backup has no <c>[sharpbench]</c>
    /// section; its database type is then told by the dump tool's own first lines.
    /// </summary>
    public static BackupMetadata Read(IEnumerable<string> firstLines)
    {
        DbKind? kind = null;
        int? schema = null;
        string? version = null, site = null;
        var partial = false;
        foreach (var raw in firstLines)
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("-- Partial Backup of Frappe Site", StringComparison.Ordinal))
                partial = true;
            else if (line.Contains("MariaDB dump", StringComparison.Ordinal) || line.Contains("MySQL dump", StringComparison.Ordinal))
                kind ??= DbKind.MariaDb;
            else if (line.StartsWith("-- PostgreSQL database dump", StringComparison.Ordinal))
                kind ??= DbKind.Postgres;
            if (!line.StartsWith("-- ", StringComparison.Ordinal) || !line.Contains(" = ", StringComparison.Ordinal))
                continue;
            var (key, value) = (line[3..line.IndexOf(" = ", StringComparison.Ordinal)].Trim(), line[(line.IndexOf(" = ", StringComparison.Ordinal) + 3)..].Trim());
            switch (key)
            {
                case "db_type":
                    kind = DbKinds.Parse(value);
                    break;
                case "schema_version" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v):
                    schema = v;
                    break;
                case "version":
                    version = value;
                    break;
                case "site":
                    site = value;
                    break;
                case "partial":
                    partial |= value == "1";
                    break;
            }
        }
        return new BackupMetadata(kind, schema, version, partial, site);
    }
}
