namespace SharpBench;

/// <summary>One entry of Frappe's message log (what <c>frappe.msgprint</c> records).</summary>
public sealed record ServerMessage(string Message, string? Title = null, string? Indicator = null)
{
    /// <summary>Set when the message belongs to the exception that ended the request.</summary>
    public bool RaiseException { get; init; }
}
