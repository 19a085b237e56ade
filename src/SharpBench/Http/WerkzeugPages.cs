using System.Net;
using Microsoft.AspNetCore.Http;

namespace SharpBench.Http;

/// <summary>The plain HTML error pages Frappe's WSGI layer answers with, whatever the Accept header.</summary>
public static class WerkzeugPages
{
    public static Task WriteAsync(HttpResponse response, int status, string title, string text)
    {
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        return response.WriteAsync($"<!doctype html>\n<html lang=en>\n<title>{status} {title}</title>\n<h1>{title}</h1>\n<p>{WebUtility.HtmlEncode(text)}</p>\n");
    }

    public static Task MethodNotAllowedAsync(HttpResponse response, string allow)
    {
        response.Headers.Allow = allow;
        return WriteAsync(response, 405, "Method Not Allowed", "The method is not allowed for the requested URL.");
    }

    public static Task TooLargeAsync(HttpResponse response) =>
        WriteAsync(response, 413, "Request Entity Too Large", "The data value transmitted exceeds the capacity limit.");
}
