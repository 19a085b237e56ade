namespace SharpBench.Metrics;

/// <summary>
/// A request's route class: a few fixed labels, so a metric's series stay bounded however many
/// methods, DocTypes and files a site has.
/// </summary>
internal static class RouteClass
{
    public static string Of(string path)
    {
        if (path.StartsWith("/api/method/", StringComparison.Ordinal) || path.StartsWith("/api/v1/method/", StringComparison.Ordinal)
            || path.StartsWith("/api/v2/method/", StringComparison.Ordinal))
            return path.EndsWith("/ping", StringComparison.Ordinal) ? "ping" : "method";
        if (path.StartsWith("/api/resource/", StringComparison.Ordinal) || path.StartsWith("/api/v1/resource/", StringComparison.Ordinal)
            || path.StartsWith("/api/v2/document/", StringComparison.Ordinal))
            return "resource";
        if (path.StartsWith("/files/", StringComparison.Ordinal) || path.StartsWith("/private/files/", StringComparison.Ordinal))
            return "files";
        if (path.StartsWith("/socket.io", StringComparison.Ordinal))
            return "realtime";
        if (path is "/healthz")
            return "health";
        if (path.StartsWith("/api/", StringComparison.Ordinal))
            return "api_other";
        return "page";
    }

    /// <summary>"2xx", "4xx", ...: the status class, not the code, for the same reason.</summary>
    public static string StatusClass(int status) => status switch
    {
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };
}
