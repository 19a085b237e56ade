namespace SharpBench;

/// <summary>
/// An error with Frappe's exception name (<c>exc_type</c>) and HTTP status. Frappe clients
/// branch on these names, so subclasses keep Frappe's spelling.
/// </summary>
public class FrappeException(string message, string excType = "ValidationError", int statusCode = 417, string? title = null) : Exception(message)
{
    public string ExcType { get; } = excType;
    public int StatusCode { get; } = statusCode;
    public string? Title { get; } = title;
}

public class ValidationError(string message, string excType = "ValidationError") : FrappeException(message, excType, 417);

public sealed class DataError(string message) : ValidationError(message, "DataError");

public sealed class DoesNotExistError(string message) : FrappeException(message, "DoesNotExistError", 404);

public sealed class PermissionError(string message, string? title = null) : FrappeException(message, "PermissionError", 403, title);

public sealed class AuthenticationError(string message) : FrappeException(message, "AuthenticationError", 401);

public sealed class DuplicateEntryError(string message) : FrappeException(message, "DuplicateEntryError", 409);
