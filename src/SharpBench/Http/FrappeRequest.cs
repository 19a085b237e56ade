using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SharpBench.Auth;
using SharpBench.Sites;

namespace SharpBench.Http;

/// <summary>
/// One HTTP request as Frappe's handlers see it: the <c>form_dict</c>, the session, and the
/// response dictionary (<c>frappe.response</c>) that becomes the JSON body.
/// </summary>
public sealed class FrappeRequest(HttpContext http, Site site, FrappeContext context)
{
    private const string ItemKey = "http.request";

    public HttpContext Http { get; } = http;
    public Site Site { get; } = site;
    public FrappeContext Context { get; } = context;
    public JsonObject Form { get; set; } = [];

    /// <summary>The multipart body's file parts, staged on disk; deleted after the request unless a handler moved them.</summary>
    public List<UploadedFile> Files { get; } = [];

    /// <summary>The response dictionary, in key order; serialised as the body unless <see cref="Writer"/> is set.</summary>
    public Dictionary<string, object?> Body { get; } = new(StringComparer.Ordinal);

    public int Status { get; set; } = StatusCodes.Status200OK;

    /// <summary>The cookie (or <c>sid</c> parameter) session; null for Guest and for token-authenticated requests.</summary>
    public SessionInfo? Session { get; set; }

    /// <summary>Set when the request named a session that no longer exists.</summary>
    public bool SessionExpired { get; set; }

    /// <summary>Expire the session cookies on this response (logout, failed authentication).</summary>
    public bool ClearCookies { get; set; }

    /// <summary>Commit even though the HTTP method is a read (a login made with GET).</summary>
    public bool ForceCommit { get; set; }

    /// <summary>Writes a non-JSON answer (an HTML page, a redirect) instead of <see cref="Body"/>.</summary>
    public Func<HttpResponse, Task>? Writer { get; set; }

    public string Method => Http.Request.Method;

    private const string V2Key = "sharpbench.api.v2";

    /// <summary>The request came to <c>/api/v2</c>: results under <c>data</c>, errors as <c>errors: [...]</c>.</summary>
    internal bool V2 => Http.Items.ContainsKey(V2Key);

    internal static void MarkV2(HttpContext http) => http.Items[V2Key] = true;

    public bool IsWrite => HttpMethods.IsPost(Method) || HttpMethods.IsPut(Method) || HttpMethods.IsDelete(Method) || HttpMethods.IsPatch(Method);

    /// <summary>
    /// The client's address: the socket peer, or what trusted proxies forwarded for it
    /// (<see cref="TrustedProxies"/> has already rewritten the peer by then).
    /// </summary>
    public string? ClientIp => Http.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : null;

    internal void Attach() => Context.Items[ItemKey] = this;

    /// <summary>The HTTP request a method runs for, or null when it runs from a job or the CLI.</summary>
    public static FrappeRequest? Of(FrappeContext context) =>
        context.Items.GetValueOrDefault(ItemKey) as FrappeRequest;
}
