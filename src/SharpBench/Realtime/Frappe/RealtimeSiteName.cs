using SharpBench.Realtime.Engine;
using SharpBench.Sites;

namespace SharpBench.Realtime.Frappe;

/// <summary>
/// The site a realtime connection belongs to, worked out as Frappe's socket server does
/// (realtime/utils.js, get_site_name): <c>X-Frappe-Site-Name</c>; else the default site when Host is
/// localhost/127.0.0.1; else the Origin's host name; else the Host's.
/// </summary>
internal static class RealtimeSiteName
{
    public static string? Resolve(HandshakeRequest request, string? defaultSite)
    {
        if (!string.IsNullOrWhiteSpace(request.SiteName))
            return HostName(request.SiteName);
        var host = HostName(request.Host);
        if (!string.IsNullOrEmpty(defaultSite) && host is "localhost" or "127.0.0.1")
            return defaultSite;
        if (!string.IsNullOrWhiteSpace(request.Origin))
            return HostName(request.Origin);
        return host;
    }

    /// <summary>A URL or host header without scheme, path and port.</summary>
    public static string? HostName(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var s = value.Trim();
        var scheme = s.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            s = s[(scheme + 3)..];
        var slash = s.IndexOf('/');
        if (slash >= 0)
            s = s[..slash];
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']');
            return close > 0 ? s[..(close + 1)] : s;
        }
        var colon = s.IndexOf(':');
        return colon >= 0 ? s[..colon] : s;
    }

    public static Site? Find(SiteRegistry sites, HandshakeRequest request)
    {
        var name = Resolve(request, sites.DefaultSiteName);
        return name is null ? null : sites.Find(name);
    }
}
