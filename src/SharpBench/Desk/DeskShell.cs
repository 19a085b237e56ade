using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SharpBench.Auth;
using SharpBench.Http;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Desk;

/// <summary>
/// The page behind every <c>/app</c> route: the built desk's script and style tags (from the
/// manifest) and the boot data it starts from (user, CSRF token, site, the DocTypes the user
/// may read by module). Guests go to <c>/login?redirect-to=…</c>. Until <c>bench build</c> has
/// run, the no-JavaScript list of DocTypes is served instead.
/// </summary>
public static class DeskShell
{
    public static Task ServeAsync(HttpContext http)
    {
        var manifest = DeskManifest.Read(http.RequestServices.GetRequiredService<Bench>());
        if (manifest is null)
            return WebPages.AppAsync(http);
        return ApiPipeline.RunAsync(http, async (request, ct) =>
        {
            if (request.Context.IsGuest)
            {
                var target = "/login?redirect-to=" + Uri.EscapeDataString(http.Request.Path.Value + http.Request.QueryString.Value);
                request.Writer = r =>
                {
                    r.StatusCode = StatusCodes.Status302Found;
                    r.Headers.Location = target;
                    return Task.CompletedTask;
                };
                return;
            }
            var csrf = await RequestAuth.EnsureCsrfTokenAsync(request, ct);
            var doctypes = await ReadableAsync(request.Context, ct);
            var boot = new JsonObject
            {
                ["user"] = request.Context.User,
                ["full_name"] = request.Session?.FullName ?? request.Context.User,
                ["csrf_token"] = csrf,
                ["sitename"] = request.Site.Name,
                ["doctypes"] = doctypes,
            };
            // The routed DocType's meta rides along: the first list or form skips a round trip.
            if (await RoutedMetaAsync(request.Context, http.Request.Path.Value, doctypes, ct) is { } docs)
                boot["docs"] = docs;
            var html = Page(manifest, boot);
            request.Writer = r =>
            {
                r.StatusCode = StatusCodes.Status200OK;
                r.ContentType = "text/html; charset=utf-8";
                // The shell names this build's hashed files; it must never be cached past a rebuild.
                r.Headers.CacheControl = "no-store";
                return HttpMethods.IsHead(http.Request.Method) ? Task.CompletedTask : r.WriteAsync(html);
            };
        });
    }

    private static async Task<JsonArray> ReadableAsync(FrappeContext context, CancellationToken ct)
    {
        var list = new JsonArray();
        foreach (var name in await DeskDocTypes.ReadableAsync(context, ct))
        {
            var meta = await Meta.FindAsync(context, name, ct);
            if (meta is null)
                continue;
            list.Add(new JsonObject
            {
                ["name"] = name,
                ["module"] = meta.Module ?? (meta.Custom == 1 ? "Custom" : "Core"),
                ["issingle"] = meta.IsSingle,
                ["is_submittable"] = meta.IsSubmittable,
                ["custom"] = meta.Custom,
            });
        }
        // Virtual DocTypes (RQ Job) have no meta; the desk has its own page for them.
        foreach (var name in new[] { "RQ Job" })
        {
            if (VirtualDocTypes.Of(context, name) is not { } provider)
                continue;
            try
            {
                await VirtualResource.CheckRolesAsync(context, provider, ct);
            }
            catch (PermissionError)
            {
                continue;
            }
            list.Add(new JsonObject { ["name"] = name, ["module"] = "Core", ["issingle"] = 0, ["is_submittable"] = 0, ["custom"] = 0, ["is_virtual"] = 1 });
        }
        return list;
    }

    private static async Task<JsonArray?> RoutedMetaAsync(FrappeContext context, string? path, JsonArray doctypes, CancellationToken ct)
    {
        var parts = (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
            return null;
        var slug = Uri.UnescapeDataString(parts[1]);
        var name = doctypes.Select(d => (string?)d!["name"]).FirstOrDefault(n => n is not null && DeskRoutes.Slug(n) == slug);
        if (name is null || await Meta.FindAsync(context, name, ct) is not { } meta)
            return null;
        var docs = new JsonArray { DocTypeJson.Of(meta) };
        foreach (var table in meta.TableFields)
            if (await Meta.FindAsync(context, table.Options ?? "", ct) is { } child && !docs.Any(d => (string?)d!["name"] == child.Name))
                docs.Add(DocTypeJson.Of(child));
        return docs;
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    public static string Page(DeskManifest manifest, JsonObject boot)
    {
        // Inside <script>, "</" would end the element early; JSON allows escaping it.
        var json = boot.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default });
        var sb = new StringBuilder();
        sb.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>Desk</title>\n<link rel=\"icon\" href=\"data:,\">\n")
          .Append("<meta name=\"csrf_token\" content=\"").Append(E((string?)boot["csrf_token"] ?? "")).Append("\">\n");
        foreach (var css in manifest.Styles)
            sb.Append("<link rel=\"stylesheet\" href=\"").Append(E(css)).Append("\">\n");
        foreach (var js in manifest.Scripts)
            sb.Append("<script type=\"module\" crossorigin src=\"").Append(E(js)).Append("\"></script>\n");
        sb.Append("</head>\n<body>\n<div id=\"app\"></div>\n")
          .Append("<script id=\"desk-boot\" type=\"application/json\">").Append(json).Append("</script>\n")
          .Append("<noscript><p>The desk needs JavaScript. <a href=\"/app\">Reload</a> with it enabled, or use the <a href=\"/api/resource/DocType\">REST API</a>.</p></noscript>\n")
          .Append("</body>\n</html>\n");
        return sb.ToString();
    }
}
