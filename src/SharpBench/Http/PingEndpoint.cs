using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SharpBench.Http;

/// <summary><c>/api/method/ping</c> (and <c>frappe.ping</c>): the liveness answer Frappe's clients probe.</summary>
public static class PingEndpoint
{
    private static readonly byte[] Pong = "{\"message\":\"pong\"}"u8.ToArray();

    public static void Map(IEndpointRouteBuilder routes)
    {
        foreach (var prefix in new[] { "/api", "/api/v1" })
            foreach (var name in new[] { "ping", "frappe.ping" })
                routes.MapMethods($"{prefix}/method/{name}", ["GET", "POST", "HEAD"], WriteAsync);
    }

    private static Task WriteAsync(HttpContext context)
    {
        context.Response.ContentType = FrappeJson.ContentType;
        context.Response.ContentLength = Pong.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(Pong).AsTask();
    }
}
