using Microsoft.AspNetCore.Http;

namespace SharpBench.Http;

/// <summary>
/// The five cookies Frappe sends on every response (frappe/auth.py, CookieManager): <c>sid</c> with the
/// full idle expiry (sliding), <c>system_user</c>, <c>full_name</c>, <c>user_id</c>,
/// <c>user_image</c>; Guest's values for anonymous requests; expired ones after logout or a
/// failed authentication.
/// </summary>
public static class SessionCookies
{
    private static readonly string[] Names = ["sid", "system_user", "full_name", "user_id", "user_image"];

    public static void Write(FrappeRequest request, TimeSpan expiry)
    {
        var response = request.Http.Response;
        var secure = request.Http.Request.IsHttps
            || string.Equals(request.Http.Request.Headers["X-Forwarded-Proto"], "https", StringComparison.OrdinalIgnoreCase);
        if (request.ClearCookies || request.SessionExpired)
        {
            foreach (var name in Names)
                response.Cookies.Append(name, "", new CookieOptions { Path = "/", Expires = DateTimeOffset.UnixEpoch, MaxAge = TimeSpan.Zero, SameSite = SameSiteMode.Lax, Secure = secure, HttpOnly = name == "sid" });
            return;
        }
        // Sent on every response, so built by hand in the format Cookies.Append produces (values
        // percent-encoded, attributes in its order) without its per-cookie option objects.
        var s = request.Session;
        var tail = secure ? "; path=/; secure; samesite=lax" : "; path=/; samesite=lax";
        var headers = response.Headers;
        var maxAge = (long)expiry.TotalSeconds;
        headers.Append("Set-Cookie", string.Concat("sid=", Uri.EscapeDataString(s?.Sid ?? "Guest"), "; expires=", ExpiresText(expiry), "; max-age=",
            maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture), tail, "; httponly"));
        headers.Append("Set-Cookie", string.Concat("system_user=", s is not null && s.IsSystemUser ? "yes" : "no", tail));
        headers.Append("Set-Cookie", string.Concat("full_name=", Uri.EscapeDataString(s?.FullName ?? "Guest"), tail));
        headers.Append("Set-Cookie", string.Concat("user_id=", Uri.EscapeDataString(s?.User ?? "Guest"), tail));
        headers.Append("Set-Cookie", string.Concat("user_image=", Uri.EscapeDataString(s?.UserImage ?? ""), tail));
    }

    private sealed record ExpiresCache(long Second, TimeSpan Expiry, string Text);

    // Process-wide is harmless: a pure function of the second and the expiry, whoever asks.
    private static ExpiresCache? _expires;

    /// <summary>The <c>expires</c> date, formatted once per second rather than once per response.</summary>
    private static string ExpiresText(TimeSpan expiry)
    {
        var now = TimeProvider.System.GetUtcNow();
        var second = now.ToUnixTimeSeconds();
        var cached = _expires;
        if (cached is not null && cached.Second == second && cached.Expiry == expiry)
            return cached.Text;
        var text = (now + expiry).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        _expires = new ExpiresCache(second, expiry, text);
        return text;
    }
}
