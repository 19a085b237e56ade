namespace SharpBench.Http;

/// <summary>
/// A failed password login: 401 <c>AuthenticationError</c> whose reason goes to the top-level
/// <c>message</c> (which frappe-js-sdk shows), not to <c>_server_messages</c>.
/// </summary>
public sealed class LoginError(string message) : FrappeException(message, "AuthenticationError", 401);
