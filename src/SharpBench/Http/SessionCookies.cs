using Microsoft.AspNetCore.Http;

namespace SharpBench.Http;

/// <summary>
/// The five cookies Frappe sends on every response (reference 6.1, 6.2): <c>sid</c> with the
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
        var s = request.Session;
        var plain = new CookieOptions { Path = "/", SameSite = SameSiteMode.Lax, Secure = secure };
        response.Cookies.Append("sid", s?.Sid ?? "Guest", new CookieOptions
        {
            Path = "/",
            SameSite = SameSiteMode.Lax,
            Secure = secure,
            HttpOnly = true,
            Expires = DateTimeOffset.UtcNow + expiry,
            MaxAge = expiry,
        });
        response.Cookies.Append("system_user", s is not null && s.IsSystemUser ? "yes" : "no", plain);
        response.Cookies.Append("full_name", s?.FullName ?? "Guest", plain);
        response.Cookies.Append("user_id", s?.User ?? "Guest", plain);
        response.Cookies.Append("user_image", s?.UserImage ?? "", plain);
    }
}
