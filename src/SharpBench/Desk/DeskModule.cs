using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SharpBench.Http;
using SharpBench.Sites;

namespace SharpBench.Desk;

/// <summary>
/// The desk's routes: <c>/app</c> and everything under it answer with the single-page shell
/// (the browser's router picks the view), and <c>/assets/…</c> serves <c>sites/assets</c> when
/// no nginx is in front (Frappe's development server does the same).
/// </summary>
public sealed class DeskModule : IWebModule
{
    public void ConfigureServices(IServiceCollection services)
    {
    }

    public void Map(WebApplication app)
    {
        app.MapMethods("/app", ["GET", "HEAD"], DeskShell.ServeAsync);
        app.MapMethods("/app/{**rest}", ["GET", "HEAD"], DeskShell.ServeAsync);
        app.MapMethods("/assets/{**path}", ["GET", "HEAD"], AssetsAsync);
    }

    private static Task AssetsAsync(HttpContext http)
    {
        var bench = http.RequestServices.GetRequiredService<Bench>();
        var root = Path.GetFullPath(Path.Combine(bench.SitesPath, "assets"));
        var relative = Uri.UnescapeDataString(http.Request.Path.Value!["/assets/".Length..]);
        var path = Path.GetFullPath(Path.Combine(root, relative));
        // Only files strictly inside sites/assets; the manifest folder stays private.
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.Contains("/.", StringComparison.Ordinal)
            || relative.StartsWith('.') || !File.Exists(path))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        // Hashed names never change content; the rest (images) revalidate.
        if (relative.StartsWith(DeskManifest.AssetsFolder + "/", StringComparison.Ordinal))
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Files.FileResults.SendAsync(http, path);
    }
}
