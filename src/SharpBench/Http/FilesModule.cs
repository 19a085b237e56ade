using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SharpBench.Files;

namespace SharpBench.Http;

/// <summary>
/// File serving when SharpBench answers directly (no nginx in front): <c>/files/…</c> from the
/// site's public folder to anyone, and <c>/private/files/…</c> only after Frappe's permission
/// check, either as bytes or, behind nginx (<c>X-Use-X-Accel-Redirect</c>), as an
/// <c>X-Accel-Redirect</c> to nginx's internal <c>/protected/</c> location. Anything that does not
/// name a file inside those folders is a 404.
/// </summary>
public sealed class FilesModule : IWebModule
{
    public void ConfigureServices(IServiceCollection services)
    {
    }

    public void Map(WebApplication app)
    {
        app.MapMethods("/files/{**path}", ["GET", "HEAD"], PublicAsync);
        app.MapMethods("/private/files/{**path}", ["GET", "HEAD"], PrivateAsync);
    }

    private static Task PublicAsync(HttpContext http)
    {
        var site = SiteMiddleware.RequireSite(http);
        var path = SiteFiles.Resolve(SiteFiles.PublicFolder(site), Relative(http, "/files/"));
        if (path is null || !File.Exists(path))
            return NotFoundAsync(http.Response);
        return FileResults.SendAsync(http, path);
    }

    private static Task PrivateAsync(HttpContext http)
    {
        var relative = Relative(http, "/private/files/");
        return ApiPipeline.RunAsync(http, async (request, ct) =>
        {
            var site = request.Site;
            var path = SiteFiles.Resolve(SiteFiles.PrivateFolder(site), relative);
            if (path is null)
            {
                request.Writer = NotFoundAsync;
                return;
            }
            if (request.Context.IsGuest || !await FileRights.CanReadUrlAsync(request.Context, SiteFiles.PrivatePrefix + relative, FormDict.Text(request.Form["fid"]), ct))
            {
                request.Writer = r => WerkzeugPages.WriteAsync(r, 403, "Forbidden", "You don't have permission to access this file");
                return;
            }
            if (!string.IsNullOrEmpty(http.Request.Headers["X-Use-X-Accel-Redirect"]))
            {
                request.Writer = r =>
                {
                    FileResults.AccelRedirect(r, "private/files/" + relative);
                    return Task.CompletedTask;
                };
                return;
            }
            request.Writer = _ => File.Exists(path) ? FileResults.SendAsync(http, path) : NotFoundAsync(http.Response);
        });
    }

    /// <summary>The decoded path after the route prefix (Kestrel has already removed dot segments).</summary>
    private static string Relative(HttpContext http, string prefix)
    {
        var path = http.Request.Path.Value ?? "";
        return path.Length > prefix.Length ? path[prefix.Length..] : "";
    }

    private static Task NotFoundAsync(HttpResponse response) =>
        WerkzeugPages.WriteAsync(response, 404, "Not Found", "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.");
}
