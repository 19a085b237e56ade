using SharpBench.Auth;
using SharpBench.Sites;

namespace SharpBench.Realtime.Frappe;

/// <summary>
/// Realtime logins checked with the backend's own session store and API keys, in-process:
/// a live sid is its session's user and user type; an unknown or expired one is Guest; a
/// token (<c>token key:secret</c> or Basic) is its key's user with no user type.
/// </summary>
internal sealed class SiteSessionAuth : IRealtimeAuth
{
    public async Task<RealtimeUser> AuthenticateAsync(Site site, string? sid, string? authorization, CancellationToken ct = default)
    {
        if (!string.IsNullOrEmpty(sid))
        {
            var session = await SessionStore.GetAsync(site, sid, ct);
            return session is null || session.User == "Guest" ? RealtimeUser.Guest : new RealtimeUser(session.User, session.UserType);
        }
        var (key, secret) = ParseToken(authorization ?? "");
        await using var db = await site.OpenDatabaseAsync(ct);
        var user = await ApiKeyAuth.FindUserAsync(db, site, key, secret, ct)
            ?? throw new RealtimeAuthException("Invalid API key or secret");
        // Frappe clears session data for token requests: no user type, so never the "all" room.
        return new RealtimeUser(user, null);
    }

    private static (string Key, string Secret) ParseToken(string authorization)
    {
        var space = authorization.IndexOf(' ');
        var scheme = space < 0 ? authorization : authorization[..space];
        var value = space < 0 ? "" : authorization[(space + 1)..].Trim();
        string pair;
        if (scheme.Equals("token", StringComparison.OrdinalIgnoreCase))
            pair = value;
        else if (scheme.Equals("basic", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(value));
            }
            catch (FormatException)
            {
                throw new RealtimeAuthException("Invalid authorization header");
            }
        }
        else
            throw new RealtimeAuthException("Unsupported authorization scheme");
        var colon = pair.IndexOf(':');
        if (colon <= 0)
            throw new RealtimeAuthException("Invalid token");
        return (pair[..colon], pair[(colon + 1)..]);
    }
}
