using System.Text.Json.Nodes;
using SharpBench.Apps;

namespace SharpBench.Http;

/// <summary><c>frappe.realtime.get_user_info</c>.</summary>
internal static class UserInfoMethod
{
    /// <summary>Who the caller is, as the realtime server asks: the user and the session's user type (null without a session).</summary>
    [Whitelist("frappe.realtime.get_user_info", AllowGuest = true)]
    public static JsonObject GetUserInfo(FrappeContext ctx)
    {
        var session = FrappeRequest.Of(ctx)?.Session;
        return new JsonObject { ["user"] = ctx.User, ["user_type"] = session?.UserType };
    }
}
