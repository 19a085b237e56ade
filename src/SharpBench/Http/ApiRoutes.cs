using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SharpBench.Http.V2;

namespace SharpBench.Http;

/// <summary>
/// The v1 route table under <c>/api</c> and <c>/api/v1</c> (frappe/api/v1.py, url_rules); <c>/api/v2</c> is <see cref="ApiV2Routes"/>. Paths are split on
/// the raw request target and each segment is percent-decoded once, so document names holding
/// <c>/</c> work whether sent literally or as <c>%2F</c>.
/// </summary>
public static class ApiRoutes
{
    private const string ResourceAllowList = "GET, HEAD, OPTIONS, POST";
    private const string DocumentAllowList = "DELETE, GET, HEAD, OPTIONS, POST, PUT";

    public static async Task HandleAsync(HttpContext http)
    {
        var segments = Segments(http);
        // segments[0] == "api"; an optional "v1" follows, or "v2" with its own routes.
        if (segments.Count > 1 && segments[1] == "v2" && !HttpMethods.IsOptions(http.Request.Method))
        {
            await ApiV2Routes.HandleAsync(http, segments.Skip(2).ToList());
            return;
        }
        var i = 1;
        if (segments.Count > 1 && segments[1] == "v1")
            i = 2;
        var rest = segments.Skip(i).ToList();
        var method = http.Request.Method;

        if (HttpMethods.IsOptions(method))
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }
        if (rest.Count >= 1 && rest[0] == "resource" && rest.Count >= 2 && rest[1].Length > 0)
        {
            var isList = rest.Count == 2 || (rest.Count == 3 && rest[2].Length == 0);
            var allowed = isList ? ResourceAllowList : DocumentAllowList;
            var verb = HttpMethods.IsHead(method) ? "GET" : method.ToUpperInvariant();
            if (!allowed.Split(", ").Contains(verb))
            {
                await WerkzeugPages.MethodNotAllowedAsync(http.Response, allowed);
                return;
            }
            var doctype = rest[1];
            var name = isList ? null : string.Join('/', rest.Skip(2));
            await ApiPipeline.RunAsync(http, (request, ct) => ResourceEndpoint.HandleAsync(request, doctype, name, ct));
            return;
        }
        if (rest.Count >= 2 && rest[0] == "method" && rest[1].Length > 0)
        {
            var name = rest[1];
            await ApiPipeline.RunAsync(http, (request, ct) => MethodEndpoint.InvokeAsync(request, name, ct));
            return;
        }
        await ApiPipeline.RunAsync(http, (_, _) => throw new DoesNotExistError(""));
    }

    /// <summary>Decoded path segments of the raw target (the query removed), without the leading empty one.</summary>
    public static List<string> Segments(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
            raw = http.Request.PathBase + http.Request.Path;
        var q = raw.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
            raw = raw[..q];
        var parts = raw.Split('/').Skip(1).Select(Uri.UnescapeDataString).ToList();
        return parts;
    }
}
