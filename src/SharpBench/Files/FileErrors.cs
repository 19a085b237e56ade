namespace SharpBench.Files;

// Frappe's file exceptions (frappe/core/doctype/file/exceptions.py): all ValidationErrors, so 417.

public sealed class MaxFileSizeReachedError(string message) : ValidationError(message, "MaxFileSizeReachedError");

public sealed class FileTypeNotAllowed(string message) : ValidationError(message, "FileTypeNotAllowed");

public sealed class FolderNotEmpty(string message) : ValidationError(message, "FolderNotEmpty");
