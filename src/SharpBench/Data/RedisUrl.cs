using StackExchange.Redis;
using SharpBench.Sites;

namespace SharpBench.Data;

/// <summary>
/// Frappe's Redis addresses (<c>redis://[user:password@]host:port[/db]</c>, <c>rediss://</c> for
/// TLS, or a bare <c>host:port</c>) as client options. Only the address, credentials, database
/// and TLS are set here: each role adds the timeouts and retry policy it needs.
/// </summary>
public static class RedisUrl
{
    public static ConfigurationOptions Parse(string url, string configKey = "redis")
    {
        var text = url.Contains("://", StringComparison.Ordinal) ? url : "redis://" + url;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || string.IsNullOrEmpty(uri.Host))
            throw new BenchException($"{configKey} '{url}' is not a redis:// URL (expected redis://host:port).");
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            Ssl = uri.Scheme == "rediss",
            // The client's own primary-election key, reconfiguration channel and CONFIG GET on
            // connect serve setups with several servers, which Frappe's one-URL config never names.
            // A user whose ACL allows only its bench's keys and channels, without admin commands
            // (bench create-rq-users), is refused all three; SharpBench itself never sends CONFIG.
            TieBreaker = "",
            ConfigurationChannel = "",
            CommandMap = CommandMap.Create(["CONFIG"], available: false),
        };
        options.EndPoints.Add(uri.Host, uri.Port > 0 ? uri.Port : 6379);
        if (uri.UserInfo is { Length: > 0 } info)
        {
            // Split before unescaping, so an escaped ':' stays inside the password.
            var parts = info.Split(':', 2);
            if (parts.Length == 2)
            {
                if (parts[0].Length > 0)
                    options.User = Uri.UnescapeDataString(parts[0]);
                options.Password = Uri.UnescapeDataString(parts[1]);
            }
            else
            {
                options.Password = Uri.UnescapeDataString(parts[0]);
            }
        }
        if (uri.AbsolutePath.Trim('/') is { Length: > 0 } db && int.TryParse(db, out var n))
            options.DefaultDatabase = n;
        return options;
    }

    /// <summary>The URL with any password replaced by <c>***</c>, so messages can name the server and user.</summary>
    public static string WithoutPassword(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) is var s and >= 0 ? s + 3 : 0;
        var end = url.IndexOf('/', start) is var e and >= 0 ? e : url.Length;
        var at = url.LastIndexOf('@', end - 1, end - start);
        if (at < 0)
            return url;
        var colon = url.IndexOf(':', start, at - start);
        return colon < 0 ? url[..start] + "***" + url[at..] : url[..(colon + 1)] + "***" + url[at..];
    }
}
