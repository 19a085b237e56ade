namespace SharpBench.Realtime.Frappe;

/// <summary>
/// Who a realtime connection is: Frappe's <c>get_user_info</c> answer. <see cref="UserType"/> is
/// the session's user type for cookie sessions and null for Guest and token logins (so token
/// clients never join <c>all</c>, as in Frappe).
/// </summary>
internal sealed record RealtimeUser(string User, string? UserType)
{
    public static readonly RealtimeUser Guest = new("Guest", null);

    public bool IsSystemUser => UserType == "System User";
}

/// <summary>A login that was presented but is wrong (a bad API key or secret).</summary>
internal sealed class RealtimeAuthException(string message) : Exception(message);
