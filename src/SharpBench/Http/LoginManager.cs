using System.Text.Json.Nodes;
using SharpBench.Auth;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Http;

/// <summary>
/// Password login (frappe/auth.py, LoginManager): <c>usr</c>/<c>pwd</c> from the form, the failed-login lock,
/// a new session row, and Frappe's answer <c>{"message":"Logged In","home_page":…,"full_name":…}</c>.
/// Every failure is a 401 whose reason is the top-level <c>message</c>; no session is made.
/// </summary>
public static class LoginManager
{
    public const int MaxPasswordLength = 512;

    public static async Task LoginAsync(FrappeRequest request, CancellationToken ct)
    {
        var usr = FormDict.Text(request.Form["usr"])?.Trim();
        var pwd = FormDict.Text(request.Form["pwd"]);
        var session = await AuthenticateAsync(request.Context, request.Site, usr, pwd, request.ClientIp, ct);
        request.Session = session;
        request.ForceCommit = true;
        request.Body["message"] = session.IsSystemUser ? "Logged In" : "No App";
        request.Body["home_page"] = HomePage(session);
        request.Body["full_name"] = session.FullName;
    }

    private static SecurityException Locked(int seconds) =>
        new($"Your account has been locked and will resume after {seconds} seconds");

    public static string HomePage(SessionInfo session) => session.IsSystemUser ? "/app" : "/me";

    /// <summary>Checks the credentials and opens a session for them (in the context's transaction).</summary>
    public static async Task<SessionInfo> AuthenticateAsync(FrappeContext context, Site site, string? usr, string? pwd, string? ip, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(usr) || string.IsNullOrEmpty(pwd))
            throw new LoginError("Incomplete login details");
        if (pwd.Length > MaxPasswordLength)
            throw new LoginError("Password size exceeded the maximum allowed size");
        var db = await context.DbAsync(ct);
        var settings = await LoginLock.SettingsAsync(db, ct);
        var address = LoginLock.AddressKey(site, ip);
        // An unknown name is counted as typed, so it locks as a real one does and the lock tells nothing.
        if (await LoginLock.LockedForAsync(site, settings, address, LoginLock.UserKey(site, usr)) is { } wait)
            throw Locked(wait);

        var user = await UserRecord.FindForLoginAsync(db, usr, ct);
        if (user is null || user.Name == "Guest")
        {
            await LoginLock.FailedAsync(site, settings, address, LoginLock.UserKey(site, usr));
            throw new LoginError("Invalid login credentials");
        }
        // By the user's own name too: logging in by email and by user name share one counter.
        var userKey = LoginLock.UserKey(site, user.Name);
        if (await LoginLock.LockedForAsync(site, settings, userKey) is { } userWait)
            throw Locked(userWait);
        if (!await UserPasswords.CheckPasswordAsync(db, user.Name, pwd, ct))
        {
            await LoginLock.FailedAsync(site, settings, address, userKey);
            throw new LoginError("Invalid login credentials");
        }
        if (!user.Enabled)
            throw new LoginError("User disabled or missing");
        await LoginLock.ResetAsync(site, address, userKey);

        var data = new JsonObject
        {
            ["full_name"] = user.FullName,
            ["user_type"] = user.UserType,
            ["user_image"] = user.UserImage,
        };
        var session = await SessionStore.CreateAsync(db, site, user.Name, data, ip, ct);
        var d = db.Dialect;
        await db.ExecuteAsync(
            $"UPDATE {d.Quote("tabUser")} SET {d.Quote("last_login")} = @p0, {d.Quote("last_ip")} = @p1, {d.Quote("last_active")} = @p2 WHERE {d.Quote("name")} = @p3",
            [DbTime.ToStorage(DbTime.Now()), ip, DbTime.Now(), user.Name], ct);
        context.User = user.Name;
        return session;
    }
}
