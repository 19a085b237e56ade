using SharpBench.Apps;
using SharpBench.Model;

namespace SharpBench.Http.V2;

/// <summary>
/// <c>/api/v2/method/…</c>: whitelisted methods by dotted name, with v1's checks and the result
/// under <c>data</c>; <c>login</c> (a no-op: only <c>/api/method/login</c> logs in),
/// <c>logout</c>, <c>ping</c> and <c>upload_file</c> by their short names; and
/// <c>method/&lt;DocType&gt;/&lt;method&gt;</c>, a function of the DocType's controller module.
/// </summary>
internal static class V2Methods
{
    public static async Task CallAsync(FrappeRequest request, string name, CancellationToken ct)
    {
        switch (name)
        {
            case "login":
                return;
            case "logout":
                await MethodEndpoint.CallAsync(request, Find(request, "frappe.handler.logout"), name, ct);
                // v1's logout answer ("No App", home page) is not v2's: an empty one.
                foreach (var key in new[] { "message", "home_page", "full_name" })
                    request.Body.Remove(key);
                return;
            case "ping":
                Data(request, "pong");
                return;
            case "upload_file":
                Data(request, await MethodEndpoint.CallAsync(request, Find(request, "frappe.handler.upload_file"), name, ct));
                return;
        }
        var method = name.Contains('.', StringComparison.Ordinal) ? request.Context.Site.Host.Methods.Find(name) : null;
        if (method is null)
            throw new ValidationError($"Failed to get method {name} with No method named '{name}'");
        Data(request, await MethodEndpoint.CallAsync(request, method, name, ct));
    }

    /// <summary>
    /// <c>method/&lt;DocType&gt;/&lt;method&gt;</c>: Frappe runs <c>&lt;method&gt;</c> of the DocType's
    /// module (<c>frappe.core.doctype.user.user</c> for User), so that is where it is looked up,
    /// then among methods registered as <c>&lt;DocType&gt;.&lt;method&gt;</c>.
    /// </summary>
    public static async Task CallControllerAsync(FrappeRequest request, string doctype, string name, CancellationToken ct)
    {
        var meta = await Meta.GetAsync(request.Context, doctype, ct);
        var module = ModulePath(request.Context, meta);
        var methods = request.Context.Site.Host.Methods;
        var method = methods.Find($"{module}.{name}") ?? methods.Find($"{doctype}.{name}")
            ?? throw new ValidationError($"Failed to get method {module}.{name} with module '{module}' has no attribute '{name}'");
        Data(request, await MethodEndpoint.CallAsync(request, method, method.Name, ct));
    }

    /// <summary>Frappe's controller module of a DocType: <c>&lt;app&gt;.&lt;module&gt;.doctype.&lt;doctype&gt;.&lt;doctype&gt;</c>, names scrubbed.</summary>
    private static string ModulePath(FrappeContext ctx, DocTypeMeta meta)
    {
        var module = meta.Module ?? "Core";
        var app = Meta.AppsOf(ctx.Site).FirstOrDefault(a => a.Modules.Contains(module, StringComparer.OrdinalIgnoreCase))?.Name ?? "frappe";
        return $"{app}.{Scrub(module)}.doctype.{Scrub(meta.Name)}.{Scrub(meta.Name)}";
    }

    private static string Scrub(string text) => text.Trim().Replace(' ', '_').Replace('-', '_').ToLowerInvariant();

    private static FrappeMethod Find(FrappeRequest request, string name) => request.Context.Site.Host.Methods.Find(name) ?? throw new ValidationError($"Failed to get method {name}");

    /// <summary>A result as v2 answers it: under <c>data</c>, left out when there is none.</summary>
    public static void Data(FrappeRequest request, object? result)
    {
        if (result is not null)
            request.Body["data"] = result;
    }
}
