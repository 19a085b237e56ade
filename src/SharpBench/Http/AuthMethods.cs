using SharpBench.Apps;
using SharpBench.Auth;
using SharpBench.Model;

namespace SharpBench.Http;

/// <summary>The whitelisted auth methods clients call: who am I, log out, issue API keys.</summary>
public static class AuthMethods
{
    [Whitelist("frappe.auth.get_logged_user")]
    public static string GetLoggedUser(FrappeContext context) => context.User;

    [Whitelist("frappe.handler.logout", AllowGuest = true)]
    public static async Task<object?> Logout(FrappeContext context, CancellationToken ct)
    {
        var request = FrappeRequest.Of(context);
        if (request?.Session is { } session)
        {
            await SessionStore.DeleteAsync(await context.DbAsync(ct), context.Site, session.Sid, ct);
            request.Session = null;
            request.ForceCommit = true;
        }
        if (request is not null)
        {
            request.ClearCookies = true;
            request.Body["message"] = "No App";
            request.Body["home_page"] = "/login";
            request.Body["full_name"] = "Guest";
        }
        context.User = "Guest";
        return null;
    }

    /// <summary>The desk's "Log out" form: log out, then back to the login page.</summary>
    [Whitelist("frappe.handler.web_logout", AllowGuest = true)]
    public static async Task<object?> WebLogout(FrappeContext context, CancellationToken ct)
    {
        await Logout(context, ct);
        if (FrappeRequest.Of(context) is { } request)
        {
            request.Writer = r =>
            {
                r.StatusCode = 302;
                r.Headers.Location = "/login";
                return Task.CompletedTask;
            };
        }
        return null;
    }

    [Whitelist("frappe.handler.ping", AllowGuest = true)]
    public static string Ping() => "pong";

    [Whitelist("frappe.core.doctype.user.user.generate_keys", Methods = ["POST", "PUT"])]
    public static async Task<Dictionary<string, string>> GenerateKeys(FrappeContext context, string user, CancellationToken ct)
    {
        var roles = await Permissions.RolesAsync(context, null, ct);
        if (!context.IsAdministrator && !roles.Contains("System Manager"))
            throw new PermissionError("You are not permitted to access this resource.", "Not Permitted");
        var db = await context.DbAsync(ct);
        var record = await UserRecord.LoadAsync(db, user, ct) ?? throw new DoesNotExistError($"User {user} not found");
        var (_, secret) = await ApiKeyAuth.GenerateAsync(db, context.Site, record.Name, ct);
        return new Dictionary<string, string> { ["api_secret"] = secret };
    }
}
