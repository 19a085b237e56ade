using Microsoft.AspNetCore.Http;

namespace SharpBench.Files;

/// <summary>frappe_docker's <c>security_headers.conf</c>, sent with every file the backend serves itself.</summary>
public static class SecurityHeaders
{
    public static void Apply(HttpResponse response)
    {
        var h = response.Headers;
        h["X-Frame-Options"] = "SAMEORIGIN";
        h["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains; preload";
        h["X-Content-Type-Options"] = "nosniff";
        h["X-XSS-Protection"] = "1; mode=block";
        h["Referrer-Policy"] = "same-origin, strict-origin-when-cross-origin";
    }
}
