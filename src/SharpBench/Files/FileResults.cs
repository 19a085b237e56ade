using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SharpBench.Files;

/// <summary>
/// Sends a file from disk with ASP.NET Core's physical file result (ranges, <c>ETag</c>,
/// <c>Last-Modified</c>, conditional requests), Frappe's content type guess, the security
/// headers, and a forced download for types a browser would run as a page.
/// </summary>
public static class FileResults
{
    public static Task SendAsync(HttpContext http, string path, bool forceDownload = false)
    {
        var name = Path.GetFileName(path);
        var info = new FileInfo(path);
        SecurityHeaders.Apply(http.Response);
        var etag = new EntityTagHeaderValue($"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"");
        var download = forceDownload || MimeTypes.MustDownload(name) ? name : null;
        return Results.File(path, MimeTypes.GuessOrBinary(name), download, info.LastWriteTimeUtc, etag, enableRangeProcessing: true).ExecuteAsync(http);
    }

    /// <summary>Hands the file to nginx: an empty body and <c>X-Accel-Redirect: /protected/&lt;site-relative path&gt;</c>, percent-encoded.</summary>
    public static void AccelRedirect(HttpResponse response, string siteRelativePath)
    {
        var name = Path.GetFileName(siteRelativePath);
        SecurityHeaders.Apply(response);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = MimeTypes.GuessOrBinary(name);
        response.Headers["X-Accel-Redirect"] = "/protected/" + string.Join('/', siteRelativePath.Split('/').Select(Uri.EscapeDataString));
        if (MimeTypes.MustDownload(name))
            response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = name }.ToString();
    }
}
