using SharpBench.Sites;

namespace SharpBench.Files;

/// <summary>
/// Where a site keeps its files, as in Frappe: <c>public/files</c> (URL <c>/files/…</c>, served
/// by nginx to anyone) and <c>private/files</c> (URL <c>/private/files/…</c>, served only after a
/// permission check). Every disk path derived from a URL or a name goes through
/// <see cref="Resolve"/>, which refuses anything that would leave the folder.
/// </summary>
public static class SiteFiles
{
    public const string PublicPrefix = "/files/";
    public const string PrivatePrefix = "/private/files/";

    /// <summary>Uploads are staged here under this prefix; never a name a File record gets.</summary>
    public const string StagingPrefix = ".upload-";

    public static string PublicFolder(Site site) => Path.Combine(site.Path, "public", "files");

    public static string PrivateFolder(Site site) => Path.Combine(site.Path, "private", "files");

    public static string Folder(Site site, bool isPrivate) => isPrivate ? PrivateFolder(site) : PublicFolder(site);

    public static string Url(string fileName, bool isPrivate) => (isPrivate ? PrivatePrefix : PublicPrefix) + fileName;

    public static bool IsLocalUrl(string? url) =>
        url is not null && (url.StartsWith(PublicPrefix, StringComparison.Ordinal) || url.StartsWith(PrivatePrefix, StringComparison.Ordinal));

    public static bool IsRemoteUrl(string? url) =>
        url is not null && (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    /// <summary>The disk path of a local file URL, or null when it is not one or points outside its folder.</summary>
    public static string? PathOf(Site site, string? fileUrl)
    {
        if (fileUrl is null)
            return null;
        if (fileUrl.StartsWith(PrivatePrefix, StringComparison.Ordinal))
            return Resolve(PrivateFolder(site), fileUrl[PrivatePrefix.Length..]);
        if (fileUrl.StartsWith(PublicPrefix, StringComparison.Ordinal))
            return Resolve(PublicFolder(site), fileUrl[PublicPrefix.Length..]);
        return null;
    }

    /// <summary>
    /// <paramref name="relative"/> (segments joined by <c>/</c>) under <paramref name="folder"/>, or
    /// null when a segment is empty, <c>.</c> or <c>..</c>, holds a backslash or a control
    /// character, or the result is not inside the folder.
    /// </summary>
    public static string? Resolve(string folder, string relative)
    {
        if (relative.Length == 0)
            return null;
        foreach (var segment in relative.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or ".." || segment.Contains('\\') || segment.Any(char.IsControl))
                return null;
        }
        var root = Path.GetFullPath(folder);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>
    /// Refuses a file name that is not a plain name: a path separator, NUL or other control
    /// character, <c>.</c>/<c>..</c>, or a Windows drive prefix (Frappe strips <c>/</c> and carries on;
    /// we refuse, see docs/compatibility.md).
    /// </summary>
    public static string CheckFileName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ValidationError("Fields `file_name` or `file_url` must be set for File", "MandatoryError");
        var bad = name.Contains('/') || name.Contains('\\') || name.Any(char.IsControl) || name.Trim() is "." or ".."
            || (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':')
            || name.StartsWith(StagingPrefix, StringComparison.Ordinal);
        if (bad)
            throw new ValidationError($"File name {System.Net.WebUtility.HtmlEncode(Printable(name))} is not allowed: use a plain file name without paths or control characters");
        return name;
    }

    private static string Printable(string s) => new(s.Select(c => char.IsControl(c) ? '?' : c).ToArray());

    /// <summary>The file type Frappe stores: the extension, upper-cased, without the dot.</summary>
    public static string? FileType(string? fileName)
    {
        var ext = Path.GetExtension(fileName ?? "");
        return ext.Length > 1 ? ext[1..].ToUpperInvariant() : null;
    }
}
