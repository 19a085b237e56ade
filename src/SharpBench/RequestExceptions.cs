namespace SharpBench;

/// <summary>A keyword argument could not be coerced to the type the method declares.</summary>
public sealed class FrappeTypeError(string message) : FrappeException(message, "FrappeTypeError", 417);

/// <summary>A cookie session that owns a CSRF token sent a write without it.</summary>
public sealed class CsrfTokenError(string message) : FrappeException(message, "CSRFTokenError", 400);

/// <summary>An Authorization header whose Basic credential is not base64.</summary>
public sealed class InvalidAuthorizationToken(string message) : FrappeException(message, "InvalidAuthorizationToken", 400);

/// <summary>
/// Too many failed logins for one user from one address. Frappe raises this as a 500; we answer
/// 429 so clients can tell it from a crash (docs/compatibility.md).
/// </summary>
public sealed class SecurityException(string message) : FrappeException(message, "SecurityException", 429);

/// <summary>A method was called with arguments it cannot run with (Python's TypeError: a 500 in Frappe).</summary>
public sealed class FrappeArgumentError(string message) : FrappeException(message, "TypeError", 500);

/// <summary>The site is in maintenance mode.</summary>
public sealed class SessionStopped(string message) : FrappeException(message, "SessionStopped", 503);
