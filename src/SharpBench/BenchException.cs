namespace SharpBench;

/// <summary>An error meant for the operator: the CLI prints its message without a stack trace.</summary>
public class BenchException(string message, Exception? inner = null) : Exception(message, inner);
