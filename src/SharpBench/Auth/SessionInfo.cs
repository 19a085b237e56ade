using System.Text.Json.Nodes;

namespace SharpBench.Auth;

/// <summary>
/// One logged-in session (a row of <c>tabSessions</c>). <see cref="Data"/> is the
/// <c>sessiondata</c> JSON: full name, user type, and the CSRF token once the desk created one.
/// </summary>
public sealed class SessionInfo(string sid, string user, JsonObject data, DateTime lastUpdate, string? ipAddress)
{
    public string Sid { get; } = sid;
    public string User { get; } = user;
    public JsonObject Data { get; } = data;
    public DateTime LastUpdate { get; internal set; } = lastUpdate;
    public string? IpAddress { get; } = ipAddress;

    public string FullName => (string?)Data["full_name"] ?? User;

    public string UserType => (string?)Data["user_type"] ?? "System User";

    public string? UserImage => (string?)Data["user_image"];

    public string? CsrfToken => (string?)Data["csrf_token"];

    public bool IsSystemUser => UserType == "System User";
}
