namespace SharpBench;

/// <summary>
/// A write while the site serves reads only (<c>maintenance_mode</c> with
/// <c>allow_reads_during_maintenance</c>): Frappe's message, title and 503.
/// </summary>
public sealed class InReadOnlyMode() : FrappeException(
    "Site is running in read only mode for maintenance or site update, this action can not be performed right now. Please try again later.",
    "InReadOnlyMode", 503, "In Read Only Mode");
