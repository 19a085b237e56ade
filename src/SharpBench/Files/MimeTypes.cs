using Microsoft.AspNetCore.StaticFiles;

namespace SharpBench.Files;

/// <summary>A file's media type from its extension, as Python's <c>mimetypes.guess_type</c> serves Frappe.</summary>
public static class MimeTypes
{
    private static readonly FileExtensionContentTypeProvider Provider = new();

    /// <summary>Types a browser would run as a page if opened inline; Frappe and nginx force a download.</summary>
    private static readonly string[] Scriptable = [".svg", ".html", ".htm", ".xml"];

    public static string? Guess(string? fileName) =>
        fileName is not null && Provider.TryGetContentType(fileName, out var type) ? type : null;

    public static string GuessOrBinary(string? fileName) => Guess(fileName) ?? "application/octet-stream";

    public static bool MustDownload(string fileName) =>
        Scriptable.Contains(Path.GetExtension(fileName).ToLowerInvariant());

    /// <summary>What a Guest or a user without desk access may upload (frappe.handler.ALLOWED_MIMETYPES).</summary>
    public static readonly IReadOnlySet<string> AllowedForWebsiteUsers = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "application/pdf", "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
        "text/plain", "video/quicktime", "video/mp4", "text/csv",
    };
}
