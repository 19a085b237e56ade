using System.Globalization;
using SharpBench.Data;
using SharpBench.Scheduling;
using SharpBench.Sites;

namespace SharpBench.Files;

/// <summary>The upload settings Frappe reads from System Settings, then site config.</summary>
public static class FileSettings
{
    public const long DefaultMaxFileSize = 25L * 1024 * 1024;

    /// <summary>System Settings <c>max_file_size</c> (MB), else site config <c>max_file_size</c> (bytes), else 25 MB.</summary>
    public static async Task<long> MaxFileSizeAsync(Site site, Database db, CancellationToken ct = default)
    {
        var mb = await SystemSettings.GetAsync(db, "max_file_size", ct);
        if (long.TryParse(mb, NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) && m > 0)
            return m * 1024 * 1024;
        return site.Config.GetLong("max_file_size") is { } bytes && bytes > 0 ? bytes : DefaultMaxFileSize;
    }

    public static async Task<bool> GuestsMayUploadAsync(Database db, CancellationToken ct = default) =>
        await SystemSettings.GetAsync(db, "allow_guests_to_upload_files", ct) is { } v && v.Trim() is "1" or "true" or "True";

    /// <summary>System Settings <c>allowed_file_extensions</c>: one extension a line; null when every type is allowed.</summary>
    public static async Task<IReadOnlySet<string>?> AllowedExtensionsAsync(Database db, CancellationToken ct = default)
    {
        var text = await SystemSettings.GetAsync(db, "allowed_file_extensions", ct);
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => e.TrimStart('.').ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
    }

    public static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.##", CultureInfo.InvariantCulture);
}
