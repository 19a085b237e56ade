using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SharpBench.Http;

/// <summary>Writes the response dictionary as Frappe does: <c>application/json</c>, compact, non-ASCII escaped.</summary>
public static class ResponseWriter
{
    public static async Task WriteJsonAsync(HttpResponse response, int status, Dictionary<string, object?> body)
    {
        response.StatusCode = status;
        response.ContentType = FrappeJson.ContentType;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, FrappeValueJson.Options);
        response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(response.HttpContext.Request.Method))
            await response.Body.WriteAsync(bytes);
    }
}
