using Microsoft.AspNetCore.Http;
using SharpBench.Auth;
using SharpBench.Files;

namespace SharpBench.Http;

/// <summary>
/// How much of a request body is read, and where. Non-multipart bodies are held in memory up to
/// <c>max_request_size</c>. In a multipart body only file parts may go past that: they stream to
/// disk up to <c>max_file_size</c>; text parts stay in memory and are capped (Werkzeug's
/// <c>max_form_memory_size</c>). A request without valid credentials gets the guest limits: small
/// text parts, and no file parts at all unless System Settings lets guests upload.
/// </summary>
internal sealed record FormLimits(long MaxBodyBytes, long MaxTextBytes, long MaxFileBytes, bool FilesAllowed, string? StagingFolder)
{
    /// <summary>Werkzeug's default <c>max_form_memory_size</c>, and the most a guest's text parts may hold.</summary>
    public const long GuestTextBytes = 500_000;

    /// <summary>Werkzeug's <c>max_form_parts</c>.</summary>
    public const int MaxParts = 1000;

    /// <summary>Room for part headers and boundaries on top of the parts' content.</summary>
    public const long FramingBytes = 64 * 1024;

    /// <summary>The largest whole multipart request: one full-size file plus the text parts.</summary>
    public long MaxMultipartBytes => (FilesAllowed ? MaxFileBytes : 0) + MaxTextBytes + FramingBytes;

    public static FormLimits Plain(long maxBodyBytes) => new(maxBodyBytes, maxBodyBytes, 0, false, null);

    public static async Task<FormLimits> ForAsync(FrappeRequest request, long maxBodyBytes, CancellationToken ct)
    {
        if (!IsMultipart(request.Http.Request.ContentType))
            return Plain(maxBodyBytes);
        var site = request.Site;
        var db = await request.Context.DbAsync(ct);
        var textBytes = site.Config.GetLong("max_form_memory_size") is { } configured && configured > 0 ? configured : maxBodyBytes;
        var maxFile = await FileSettings.MaxFileSizeAsync(site, db, ct);
        var staging = SiteFiles.PrivateFolder(site);
        if (await RequestAuth.HasCredentialsAsync(request, ct))
            return new FormLimits(maxBodyBytes, textBytes, maxFile, true, staging);
        return new FormLimits(maxBodyBytes, Math.Min(textBytes, GuestTextBytes), maxFile, await FileSettings.GuestsMayUploadAsync(db, ct), staging);
    }

    public static bool IsMultipart(string? contentType) =>
        contentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true;
}
