using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SharpBench.Sites;

namespace SharpBench.Http;

/// <summary>
/// Puts the request's <see cref="Site"/> on the context. An unknown site gets Frappe's plain
/// HTML 404 (no JSON, no cookies, even under /api), before any handler runs.
/// </summary>
internal sealed class SiteMiddleware(RequestDelegate next, SiteResolver resolver, ILogger<SiteMiddleware> log)
{
    private static readonly object SiteKey = new();

    public static Site? SiteOf(HttpContext context) => context.Items.TryGetValue(SiteKey, out var s) ? s as Site : null;

    public static Site RequireSite(HttpContext context) =>
        SiteOf(context) ?? throw new InvalidOperationException("No site was resolved for this request.");

    public async Task InvokeAsync(HttpContext context)
    {
        // Realtime resolves its site per namespace, with Frappe's own rules (Origin counts there).
        if (context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/socket.io"))
        {
            await next(context);
            return;
        }
        Site? site;
        string requested;
        try
        {
            (site, requested) = resolver.Resolve(context.Request);
        }
        catch (BenchException e)
        {
            // A broken config file: say which file and where, instead of a bare 500.
            log.LogError("{Error}", e.Message);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(e.Message);
            return;
        }
        if (site is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(
                "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>" +
                WebUtility.HtmlEncode(requested) + " does not exist</p>\n");
            return;
        }
        context.Items[SiteKey] = site;
        await next(context);
    }
}
