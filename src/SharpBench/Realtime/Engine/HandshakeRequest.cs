using Microsoft.AspNetCore.Http;

namespace SharpBench.Realtime.Engine;

/// <summary>
/// The headers of the first HTTP request of a session (the polling handshake, or the
/// WebSocket upgrade when the client starts on WebSocket). Namespace middleware reads these,
/// as socket.io's <c>socket.request</c>; later polls and the upgrade do not change them.
/// </summary>
internal sealed class HandshakeRequest
{
    public string? Host { get; init; }
    public string? Origin { get; init; }
    public string? SiteName { get; init; }
    public string? Cookie { get; init; }
    public string? Authorization { get; init; }
    public string? RemoteAddress { get; init; }

    public static HandshakeRequest From(HttpRequest request)
    {
        static string? Header(HttpRequest r, string name)
        {
            var v = r.Headers[name];
            return v.Count == 0 ? null : v.ToString();
        }
        return new HandshakeRequest
        {
            Host = Header(request, "Host"),
            Origin = Header(request, "Origin"),
            SiteName = Header(request, "X-Frappe-Site-Name"),
            Cookie = Header(request, "Cookie"),
            Authorization = Header(request, "Authorization"),
            RemoteAddress = request.HttpContext.Connection.RemoteIpAddress?.ToString(),
        };
    }

    /// <summary>A cookie's value from the Cookie header, or null.</summary>
    public string? CookieValue(string name)
    {
        if (Cookie is null)
            return null;
        foreach (var part in Cookie.Split(';'))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
                continue;
            if (part.AsSpan(0, eq).Trim().SequenceEqual(name))
                return Uri.UnescapeDataString(part[(eq + 1)..].Trim().Trim('"'));
        }
        return null;
    }
}
