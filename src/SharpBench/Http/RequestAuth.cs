using System.Security.Cryptography;
using System.Text;
using SharpBench.Auth;

namespace SharpBench.Http;

/// <summary>
/// Who a request runs as, in Frappe's order (frappe/app.py init_request, frappe/auth.py HTTPRequest): password login on
/// <c>/api/method/login</c>; else the <c>sid</c> cookie (or parameter) session; then the CSRF
/// check; then the Authorization header, which only replaces a Guest session user.
/// </summary>
public static class RequestAuth
{
    public const string CsrfHeader = "X-Frappe-CSRF-Token";

    public static async Task AuthenticateAsync(FrappeRequest request, CancellationToken ct)
    {
        var path = request.Http.Request.Path.Value ?? "";
        if (path is "/api/method/login" or "/api/method/login/" || FormDict.Text(request.Form["cmd"]) == "login")
            await LoginManager.LoginAsync(request, ct);
        else
            await ResumeAsync(request, ct);
        CheckCsrf(request);
        await HeaderAuthAsync(request, ct);
    }

    /// <summary>
    /// Whether the request carries a live session cookie or a valid API key, checked before its
    /// body is read (which decides the body's limits) and without touching the request's state.
    /// </summary>
    public static async Task<bool> HasCredentialsAsync(FrappeRequest request, CancellationToken ct)
    {
        var sid = request.Http.Request.Cookies["sid"];
        if (!string.IsNullOrEmpty(sid) && sid != "Guest" && await SessionStore.GetAsync(request.Context, sid, ct) is not null)
            return true;
        var parts = request.Http.Request.Headers.Authorization.ToString().Split(' ');
        if (parts.Length != 2)
            return false;
        string credential;
        try
        {
            credential = parts[0].ToLowerInvariant() switch
            {
                "token" => parts[1],
                "basic" => DecodeBasic(parts[1]),
                _ => "",
            };
        }
        catch (InvalidAuthorizationToken)
        {
            return false;
        }
        var pair = credential.Split(':');
        return pair.Length == 2
            && await ApiKeyAuth.FindUserAsync(await request.Context.DbAsync(ct), request.Site, pair[0], pair[1], ct) is not null;
    }

    private static async Task ResumeAsync(FrappeRequest request, CancellationToken ct)
    {
        var sid = request.Http.Request.Cookies["sid"];
        if (string.IsNullOrEmpty(sid))
            sid = FormDict.Text(request.Form["sid"]);
        if (string.IsNullOrEmpty(sid) || sid == "Guest")
            return;
        var session = await SessionStore.GetAsync(request.Context, sid, ct);
        if (session is null)
        {
            request.SessionExpired = true;
            request.Body["session_expired"] = 1;
            return;
        }
        request.Session = session;
        request.Context.User = session.User;
    }

    private static void CheckCsrf(FrappeRequest request)
    {
        var token = request.Session?.CsrfToken;
        if (!request.IsWrite || string.IsNullOrEmpty(token) || request.Site.Config.GetBool("ignore_csrf"))
            return;
        var sent = request.Http.Request.Headers[CsrfHeader].ToString();
        if (string.IsNullOrEmpty(sent))
            sent = FormDict.Text(request.Form["csrf_token"]) ?? "";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(token)))
            throw new CsrfTokenError("Invalid Request");
    }

    private static async Task HeaderAuthAsync(FrappeRequest request, CancellationToken ct)
    {
        var header = request.Http.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
            return;
        var parts = header.Split(' ');
        // Frappe ignores a header that is not exactly "<scheme> <credential>".
        if (parts.Length != 2)
            return;
        var scheme = parts[0].ToLowerInvariant();
        string? credential = scheme switch
        {
            "token" => parts[1],
            "basic" => DecodeBasic(parts[1]),
            _ => null,
        };
        string? user = null;
        if (credential is not null)
        {
            var pair = credential.Split(':');
            if (pair.Length == 2)
                user = await ApiKeyAuth.FindUserAsync(await request.Context.DbAsync(ct), request.Site, pair[0], pair[1], ct);
        }
        if (user is not null && request.Context.IsGuest)
            request.Context.User = user;
        if (request.Context.IsGuest)
            throw new AuthenticationError("");
    }

    private static string DecodeBasic(string value)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            throw new InvalidAuthorizationToken("Failed to decode token, please provide a valid base64-encoded token.");
        }
    }

    /// <summary>The session's CSRF token, created (and stored) on first use, as the desk page does.</summary>
    public static async Task<string?> EnsureCsrfTokenAsync(FrappeRequest request, CancellationToken ct)
    {
        var session = request.Session;
        if (session is null)
            return null;
        if (session.CsrfToken is { Length: > 0 } existing)
            return existing;
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(28)).ToLowerInvariant();
        session.Data["csrf_token"] = token;
        await SessionStore.SaveDataAsync(await request.Context.DbAsync(ct), request.Site, session, ct);
        request.ForceCommit = true;
        return token;
    }
}
