using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SharpBench.Apps;
using SharpBench.Auth;
using SharpBench.Sites;

namespace SharpBench.Http;

/// <summary>
/// The website basics until a desk exists: <c>/</c> sends guests to <c>/login</c> and users to
/// <c>/app</c>; <c>/login</c> is a plain HTML form that logs in without JavaScript; <c>/app</c>
/// lists the DocTypes the user may read, each linking to its <c>/api/resource</c> list.
/// </summary>
public static class WebPages
{
    public static Task HomeAsync(HttpContext http) => ApiPipeline.RunAsync(http, async (request, ct) =>
    {
        if (request.Form["cmd"] is not null)
        {
            // Legacy RPC: any path whose arguments carry cmd=<dotted.path>.
            await MethodEndpoint.InvokeAsync(request, FormDict.Text(request.Form["cmd"])!, ct);
            return;
        }
        var target = request.Context.IsGuest ? "/login" : "/app";
        request.Writer = r => Redirect(r, target);
    });

    public static Task LoginAsync(HttpContext http) => ApiPipeline.RunAsync(http, async (request, ct) =>
    {
        var next = RedirectTarget.SameOrigin(FormDict.Text(request.Form["redirect-to"]), request.Http.Request.Host);
        if (HttpMethods.IsPost(request.Method))
        {
            var usr = FormDict.Text(request.Form["usr"])?.Trim();
            try
            {
                request.Session = await LoginManager.AuthenticateAsync(request.Context, request.Site, usr, FormDict.Text(request.Form["pwd"]), request.ClientIp, ct);
                request.ForceCommit = true;
                var home = next ?? LoginManager.HomePage(request.Session);
                request.Writer = r => Redirect(r, home);
            }
            catch (FrappeException e) when (e is LoginError or SecurityException)
            {
                request.Status = e.StatusCode;
                request.Writer = r => Html(r, e.StatusCode, LoginPage(usr, e.Message, next));
            }
            return;
        }
        if (!request.Context.IsGuest)
        {
            var home = next ?? "/app";
            request.Writer = r => Redirect(r, home);
            return;
        }
        request.Writer = r => Html(r, StatusCodes.Status200OK, LoginPage(null, null, next));
    });

    public static Task AppAsync(HttpContext http) => ApiPipeline.RunAsync(http, async (request, ct) =>
    {
        if (request.Context.IsGuest)
        {
            request.Writer = r => Redirect(r, "/login?redirect-to=%2Fapp");
            return;
        }
        var csrf = await RequestAuth.EnsureCsrfTokenAsync(request, ct);
        var doctypes = await DeskDocTypes.ReadableAsync(request.Context, ct);
        var user = request.Session?.FullName ?? request.Context.User;
        request.Writer = r => Html(r, StatusCodes.Status200OK, AppPage(user, doctypes, csrf));
    });

    private static Task Redirect(HttpResponse response, string location)
    {
        response.StatusCode = StatusCodes.Status302Found;
        response.Headers.Location = location;
        return Task.CompletedTask;
    }

    private static Task Html(HttpResponse response, int status, string html)
    {
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        return HttpMethods.IsHead(response.HttpContext.Request.Method) ? Task.CompletedTask : response.WriteAsync(html);
    }

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    private static string LoginPage(string? usr, string? error, string? next)
    {
        var sb = new StringBuilder();
        sb.Append("<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Login</title>")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
          .Append("<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}label,input,button{display:block;width:100%;box-sizing:border-box;margin:.3rem 0}input{padding:.5rem}button{padding:.6rem;margin-top:1rem}.error{color:#b00020}</style>")
          .Append("</head>\n<body>\n<h1>Login</h1>\n");
        if (error is not null)
            sb.Append("<p class=\"error\" role=\"alert\">").Append(E(error)).Append("</p>\n");
        sb.Append("<form method=\"post\" action=\"/login\">\n")
          .Append("<label for=\"usr\">Email or user name</label><input id=\"usr\" name=\"usr\" autocomplete=\"username\" required value=\"").Append(E(usr)).Append("\">\n")
          .Append("<label for=\"pwd\">Password</label><input id=\"pwd\" name=\"pwd\" type=\"password\" autocomplete=\"current-password\" required>\n");
        if (next is not null)
            sb.Append("<input type=\"hidden\" name=\"redirect-to\" value=\"").Append(E(next)).Append("\">\n");
        sb.Append("<button type=\"submit\">Login</button>\n</form>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static string AppPage(string user, IReadOnlyList<string> doctypes, string? csrf)
    {
        var sb = new StringBuilder();
        sb.Append("<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>App</title>")
          .Append("<meta name=\"csrf_token\" content=\"").Append(E(csrf)).Append("\">")
          .Append("<script>window.csrf_token = \"").Append(E(csrf)).Append("\";</script>")
          .Append("</head>\n<body>\n<h1>").Append(E(user)).Append("</h1>\n")
          .Append("<form method=\"post\" action=\"/api/method/web_logout\"><input type=\"hidden\" name=\"csrf_token\" value=\"").Append(E(csrf)).Append("\"><button type=\"submit\">Log out</button></form>\n")
          .Append("<h2>DocTypes</h2>\n<ul>\n");
        foreach (var dt in doctypes)
            sb.Append("<li><a href=\"/api/resource/").Append(Uri.EscapeDataString(dt)).Append("\">").Append(E(dt)).Append("</a></li>\n");
        sb.Append("</ul>\n</body>\n</html>\n");
        return sb.ToString();
    }
}
