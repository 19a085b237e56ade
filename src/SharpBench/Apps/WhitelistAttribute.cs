namespace SharpBench.Apps;

/// <summary>
/// Marks a static method callable at <c>/api/method/&lt;Name&gt;</c>, as <c>@frappe.whitelist()</c>
/// does. Methods without it can still be registered (for jobs, hooks, scheduler events) but are
/// not reachable over HTTP.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class WhitelistAttribute(string name) : Attribute
{
    /// <summary>The dotted name clients call, e.g. <c>frappe.client.get_list</c>.</summary>
    public string Name { get; } = name;

    public bool AllowGuest { get; init; }

    /// <summary>
    /// The method handles markup in its arguments itself; otherwise a Guest caller's string
    /// arguments that hold HTML tags arrive escaped (Frappe's <c>xss_safe</c>).
    /// </summary>
    public bool XssSafe { get; init; }

    /// <summary>Allowed HTTP methods; Frappe's default is GET, POST, PUT, DELETE.</summary>
    public string[] Methods { get; init; } = ["GET", "POST", "PUT", "DELETE"];
}

/// <summary>
/// Marks a static method as callable by dotted name from jobs, hooks and scheduler events
/// (not over HTTP unless it is also whitelisted).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FrappeMethodAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
