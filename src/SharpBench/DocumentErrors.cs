namespace SharpBench;

// Frappe's document validation errors. All are ValidationError subclasses (417) except the
// name clashes, which Frappe answers with 409.

public sealed class MandatoryError(string message, IReadOnlyList<string> messages) : ValidationError(message, "MandatoryError")
{
    /// <summary>One user-facing message per missing field ("Error: Value missing for ToDo: Description").</summary>
    public IReadOnlyList<string> Messages { get; } = messages;
}

public sealed class LinkValidationError(string message) : ValidationError(message, "LinkValidationError");

public sealed class UniqueValidationError(string message) : ValidationError(message, "UniqueValidationError");

public sealed class TimestampMismatchError(string message) : ValidationError(message, "TimestampMismatchError");

public sealed class InvalidNameError(string message) : ValidationError(message, "InvalidNameError");

public sealed class DocstatusTransitionError(string message) : ValidationError(message, "DocstatusTransitionError");

public sealed class UpdateAfterSubmitError(string message) : ValidationError(message, "UpdateAfterSubmitError");

public sealed class LinkExistsError(string message) : ValidationError(message, "LinkExistsError");

public sealed class CharacterLengthExceededError(string message) : ValidationError(message, "CharacterLengthExceededError");


/// <summary>Frappe's <c>NameError</c>: a name that may not be used (409, like a duplicate).</summary>
public sealed class NameError(string message) : FrappeException(message, "NameError", 409);
