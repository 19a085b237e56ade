using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace SharpBench.Http;

/// <summary>
/// Frappe's <c>form_dict</c> (frappe/app.py, make_form_dict): a non-empty JSON body replaces the query string;
/// otherwise query parameters, then form fields over them, first value of a repeated key only.
/// The jQuery cache-buster <c>_</c> is dropped.
/// </summary>
public static class FormDict
{
    /// <summary>Largest non-upload body we read; bigger ones get Werkzeug's 413 page.</summary>
    public const long DefaultMaxBodyBytes = 8L * 1024 * 1024;

    public static Task<JsonObject> ReadAsync(HttpRequest request, long maxBodyBytes, CancellationToken ct) =>
        ReadAsync(request, FormLimits.Plain(maxBodyBytes), [], ct);

    /// <summary>
    /// The form_dict; a multipart body's file parts are streamed to disk into <paramref name="files"/>
    /// (see <see cref="MultipartForm"/>), never held in memory.
    /// </summary>
    internal static async Task<JsonObject> ReadAsync(HttpRequest request, FormLimits limits, List<UploadedFile> files, CancellationToken ct)
    {
        var maxBodyBytes = limits.MaxBodyBytes;
        var form = new JsonObject();
        if (IsJson(request.ContentType) && request.ContentLength != 0)
        {
            var body = await ReadBodyAsync(request, maxBodyBytes, ct);
            if (body.Length > 0 && !IsWhitespace(body))
                return ParseJsonBody(body);
        }
        foreach (var (key, values) in request.Query)
            Add(form, key, values);
        if (FormLimits.IsMultipart(request.ContentType) && request.HasFormContentType)
        {
            // Parts are read only when the request's limits were worked out for a multipart body.
            if (limits.StagingFolder is null)
                throw new RequestTooLargeException();
            await MultipartForm.ReadAsync(request, limits, form, files, ct);
        }
        else if (request.HasFormContentType && !IsJson(request.ContentType))
        {
            if (request.ContentLength > maxBodyBytes)
                throw new RequestTooLargeException();
            IFormCollection fields;
            try
            {
                fields = await request.ReadFormAsync(ct);
            }
            catch (InvalidDataException e)
            {
                throw new ValidationError("Invalid request arguments: " + e.Message);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw new RequestTooLargeException();
            }
            foreach (var (key, values) in fields)
            {
                form.Remove(key);
                Add(form, key, values);
            }
        }
        form.Remove("_");
        return form;
    }

    /// <summary>Parses a JSON body: an object is the form, an array becomes <c>{"data": [...]}</c>, anything else is 417.</summary>
    public static JsonObject ParseJsonBody(ReadOnlySpan<byte> body)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body, new JsonNodeOptions { PropertyNameCaseInsensitive = false }, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new ValidationError("Invalid request arguments: the body is not valid JSON (" + e.Message + ")");
        }
        JsonObject result = node switch
        {
            JsonObject o => o,
            JsonArray a => new JsonObject { ["data"] = a },
            _ => throw new ValidationError("Invalid request arguments"),
        };
        try
        {
            // Materialises every property now, so a duplicate key fails here (417) rather than later.
            _ = result.Count;
        }
        catch (ArgumentException e)
        {
            throw new ValidationError("Invalid request arguments: " + e.Message);
        }
        result.Remove("_");
        return result;
    }

    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
            return false;
        var semi = contentType.IndexOf(';', StringComparison.Ordinal);
        var media = (semi < 0 ? contentType : contentType[..semi]).Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static void Add(JsonObject form, string key, StringValues values)
    {
        if (values.Count > 0 && !form.ContainsKey(key))
            form[key] = values[0] ?? "";
    }

    private static bool IsWhitespace(byte[] body)
    {
        foreach (var b in body)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                return false;
        return true;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, long max, CancellationToken ct)
    {
        if (request.ContentLength > max)
            throw new RequestTooLargeException();
        using var buffer = new MemoryStream(request.ContentLength is { } n ? (int)n : 1024);
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > max)
                    throw new RequestTooLargeException();
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new RequestTooLargeException();
        }
        return buffer.ToArray();
    }

    /// <summary>A form value as text: strings as they are, other JSON as its JSON text.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Null => null,
        _ => node.ToJsonString(),
    };

    internal static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}

/// <summary>The body is over the limit: answered with Werkzeug's HTML 413 page, as Frappe's server does.</summary>
public sealed class RequestTooLargeException() : Exception("Request Entity Too Large");
