using Microsoft.AspNetCore.Http;
using SharpBench.Sites;

namespace SharpBench.Http;

/// <summary>
/// Works out the site of a request as Frappe does: <c>X-Frappe-Site-Name</c>, else the Host
/// header without its port; a local name (localhost, 127.0.0.1, ::1) that is not itself a site
/// falls back to the bench's default site. Names are validated before any lookup.
/// </summary>
internal sealed class SiteResolver(SiteRegistry sites)
{
    public const string SiteHeader = "X-Frappe-Site-Name";

    public SiteRegistry Sites { get; } = sites;

    /// <summary>The site, or null with the name that was asked for (for the 404 page).</summary>
    public (Site? Site, string Requested) Resolve(HttpRequest request)
    {
        var requested = request.Headers[SiteHeader].ToString();
        if (string.IsNullOrWhiteSpace(requested))
            requested = request.Host.Host;
        requested = requested.Trim();
        var site = Sites.Find(requested);
        if (site is null && IsLocal(requested))
            site = Sites.Find(Sites.DefaultSiteName);
        return (site, requested);
    }

    private static bool IsLocal(string host) =>
        host is "localhost" or "127.0.0.1" or "::1" or "[::1]" or "0.0.0.0" or "";
}
