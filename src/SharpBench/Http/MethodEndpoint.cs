using System.Net;
using SharpBench.Apps;

namespace SharpBench.Http;

/// <summary>
/// <c>/api/method/&lt;dotted.path&gt;</c> and legacy <c>cmd=</c> calls (frappe/handler.py, execute_cmd): resolve
/// (unknown → 417), whitelist and guest check (403 with Frappe's HTML message), allowed HTTP
/// methods (403), call, and put a non-null result under <c>message</c>.
/// </summary>
public static class MethodEndpoint
{
    /// <summary>Un-dotted names Frappe looks up in <c>frappe.handler</c>; any other un-dotted name is unknown.</summary>
    private static readonly HashSet<string> Shorthands = new(StringComparer.Ordinal)
    {
        "ping", "logout", "web_logout", "upload_file", "download_file", "run_doc_method", "runserverobj", "uploadfile",
    };

    public static async Task InvokeAsync(FrappeRequest request, string name, CancellationToken ct)
    {
        if (name == "login")
            return; // the session layer already logged in (or, off the exact login path, did nothing)
        var result = await CallAsync(request, Resolve(request.Context.Site.Host.Methods, name), name, ct);
        if (result is not null)
            request.Body["message"] = result;
    }

    /// <summary>Calls a resolved method for a client: whitelist, Guest and HTTP-method checks, then the call.</summary>
    internal static async Task<object?> CallAsync(FrappeRequest request, FrappeMethod method, string name, CancellationToken ct)
    {
        var whitelist = method.Whitelist;
        if (whitelist is null || (request.Context.IsGuest && !whitelist.AllowGuest))
        {
            throw new PermissionError(
                $"<details><summary>You are not permitted to access this resource.</summary>Function <strong>{WebUtility.HtmlEncode(name)}</strong> is not whitelisted.</details>",
                "Method Not Allowed");
        }
        if (!whitelist.Methods.Contains(request.Method, StringComparer.OrdinalIgnoreCase))
            throw new PermissionError("Not permitted");
        var form = request.Context.IsGuest && !whitelist.XssSafe ? GuestArguments.Escape(request.Form) : request.Form;
        return await method.Invoke(request.Context, form, ct);
    }

    public static FrappeMethod Resolve(MethodRegistry methods, string name)
    {
        if (!name.Contains('.', StringComparison.Ordinal))
        {
            if (Shorthands.Contains(name) && methods.Find("frappe.handler." + name) is { } handler)
                return handler;
            throw new ValidationError($"Failed to get method for command {name} with '{name}'");
        }
        return methods.Find(name)
            ?? throw new ValidationError($"Failed to get method for command {name} with No method named '{name}'");
    }
}
