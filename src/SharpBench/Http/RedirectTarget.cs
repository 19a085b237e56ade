using Microsoft.AspNetCore.Http;

namespace SharpBench.Http;

/// <summary>
/// Where <c>/login</c> may send a browser afterwards (<c>redirect-to</c>): a path on this site,
/// or a full URL naming this site, given back as a path. Browsers drop tabs and newlines from a
/// URL and read <c>\</c> as <c>/</c>, so <c>/\t/evil.example</c> is <c>//evil.example</c> to them:
/// any control character, whitespace or backslash makes the target unusable.
/// </summary>
public static class RedirectTarget
{
    public static string? SameOrigin(string? target, HostString host)
    {
        if (string.IsNullOrEmpty(target) || target.Length > 2048)
            return null;
        foreach (var c in target)
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
                return null;
        if (target[0] == '/')
        {
            // "//host" is scheme-relative: another site.
            if (target.Length > 1 && target[1] == '/')
                return null;
            return Uri.TryCreate(target, UriKind.Relative, out _) ? target : null;
        }
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return null;
        if (!string.IsNullOrEmpty(uri.UserInfo) || !host.HasValue)
            return null;
        var sameHost = string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase)
            && (host.Port is null ? uri.IsDefaultPort : uri.Port == host.Port);
        return sameHost ? uri.PathAndQuery + uri.Fragment : null;
    }
}
