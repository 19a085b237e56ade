
namespace SharpBench.Sites;

/// <summary>
/// Who a process logs in to <c>redis_queue</c> as, by Frappe's rule: with <c>use_rq_auth</c>, the
/// bench's ACL user (<c>rq_username</c>, else the bench id) with <c>rq_password</c>, which
/// <c>bench worker -u/-p</c> override; else, when the environment variable <c>RQ_ADMIN_PASWORD</c>
/// (Frappe's spelling) is set, the <c>default</c> user with that password; else whatever the URL
/// itself carries. Every role gets its queue settings from <see cref="QueueSettings"/>, which asks
/// here, so web, workers, scheduler, realtime and doctor always log in alike.
/// </summary>
public static class RedisQueueLogin
{
    public const string AdminPasswordVariable = "RQ_ADMIN_PASWORD";

    /// <summary>
    /// The <c>redis_queue</c> URL of <paramref name="config"/> with the login applied, or null when
    /// it is unset (the in-process queue and bridge of <c>bench start</c>).
    /// </summary>
    public static string? QueueUrl(string benchRoot, SiteConfig config) =>
        config.GetString("redis_queue") is { Length: > 0 } url ? Apply(url, config, BenchId(benchRoot, config)) : null;

    /// <summary>Prefix of every Redis key of a bench (<c>bench_id</c>, else derived from its folder), so benches can share one Redis.</summary>
    public static string BenchId(string benchRoot, SiteConfig config) =>
        config.GetString("bench_id") is { Length: > 0 } id ? id : DeriveBenchId(benchRoot);

    /// <summary>Frappe's default bench id: the bench folder's absolute path with slashes as dashes.</summary>
    public static string DeriveBenchId(string benchRoot) => Path.GetFullPath(benchRoot).Trim('/').Replace('/', '-');

    /// <summary>
    /// The URL to connect with: <paramref name="url"/> with the chosen user and password put in it,
    /// so the connection caches, keyed by URL, never hand one login's connection to another.
    /// </summary>
    public static string Apply(string url, SiteConfig config, string benchId, string? username = null, string? password = null)
    {
        if (config.GetBool("use_rq_auth"))
        {
            var user = username is { Length: > 0 } ? username : config.GetString("rq_username") is { Length: > 0 } u ? u : benchId;
            return WithLogin(url, user, password ?? config.GetString("rq_password"));
        }
        if (Environment.GetEnvironmentVariable(AdminPasswordVariable) is { Length: > 0 } admin)
            return WithLogin(url, "default", admin);
        return url;
    }

    /// <summary>Replaces any user and password in a Redis URL (bare <c>host:port</c> allowed).</summary>
    public static string WithLogin(string url, string user, string? password)
    {
        var at = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = at >= 0 ? url[..(at + 3)] : "redis://";
        var rest = at >= 0 ? url[(at + 3)..] : url;
        var authority = rest.IndexOf('/') is var slash and >= 0 ? rest[..slash] : rest;
        if (authority.LastIndexOf('@') is var old and >= 0)
            rest = rest[(old + 1)..];
        return $"{scheme}{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password ?? "")}@{rest}";
    }
}
