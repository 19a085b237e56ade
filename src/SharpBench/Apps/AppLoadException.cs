namespace SharpBench.Apps;

/// <summary>An app named in <c>sites/apps.txt</c> whose assembly cannot be used; the message names the file.</summary>
public sealed class AppLoadException(string message, Exception? inner = null) : Exception(message, inner);
