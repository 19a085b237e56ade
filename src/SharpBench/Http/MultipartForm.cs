using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using SharpBench.Files;

namespace SharpBench.Http;

/// <summary>
/// Reads a multipart/form-data body one part at a time: text parts into the form (capped by
/// <see cref="FormLimits.MaxTextBytes"/>, over it 413), file parts straight to a staging file on
/// disk (capped by <see cref="FormLimits.MaxFileBytes"/>, over it Frappe's 417
/// MaxFileSizeReachedError). Nothing is buffered whole, and a part that fails leaves no file.
/// </summary>
internal static class MultipartForm
{
    private const int ChunkBytes = 64 * 1024;

    public static async Task ReadAsync(HttpRequest request, FormLimits limits, JsonObject form, List<UploadedFile> files, CancellationToken ct)
    {
        if (request.ContentLength > limits.MaxMultipartBytes)
            throw new RequestTooLargeException();
        // Kestrel's own cap follows this request's limits, so a body without Content-Length stops there too.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limits.MaxMultipartBytes;
        var boundary = Boundary(request.ContentType);
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        long textBytes = 0, fileBytes = 0;
        var parts = 0;
        try
        {
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
            {
                if (++parts > FormLimits.MaxParts)
                    throw new RequestTooLargeException();
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    throw new ValidationError("Invalid request arguments: a multipart part has no form-data Content-Disposition");
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    if (!limits.FilesAllowed || limits.StagingFolder is null)
                        throw new PermissionError("You are not permitted to upload files.", "Not Permitted");
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                    var file = await StageAsync(section, name, fileName, limits, fileBytes, ct);
                    fileBytes += file.Length;
                    files.Add(file);
                    continue;
                }
                var value = await ReadTextAsync(section.Body, limits.MaxTextBytes - textBytes, ct);
                textBytes += Encoding.UTF8.GetByteCount(value);
                form.Remove(name);
                form[name] = value;
            }
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            // MultipartReader's "Unexpected end of Stream": the body ended inside a part.
            throw new ValidationError("Invalid request arguments: the multipart body is incomplete (" + e.Message + ")");
        }
        catch (InvalidDataException e)
        {
            throw new ValidationError("Invalid request arguments: " + e.Message);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new RequestTooLargeException();
        }
    }

    private static string Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
            throw new ValidationError("Invalid request arguments: bad Content-Type");
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200)
            throw new ValidationError("Invalid request arguments: multipart Content-Type without a valid boundary");
        return boundary;
    }

    private static async Task<string> ReadTextAsync(Stream body, long room, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > room)
                throw new RequestTooLargeException();
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task<UploadedFile> StageAsync(MultipartSection section, string field, string fileName, FormLimits limits, long alreadyStaged, CancellationToken ct)
    {
        Directory.CreateDirectory(limits.StagingFolder!);
        var path = Path.Combine(limits.StagingFolder!, SiteFiles.StagingPrefix + Guid.NewGuid().ToString("N") + ".part");
        var ok = false;
        try
        {
            using var md5 = ContentHash.Incremental();
            long length = 0;
            await using (var output = new FileStream(path, FileMode.CreateNew, System.IO.FileAccess.Write, FileShare.None, ChunkBytes, FileOptions.Asynchronous))
            {
                var chunk = new byte[ChunkBytes];
                int read;
                while ((read = await section.Body.ReadAsync(chunk, ct)) > 0)
                {
                    length += read;
                    if (alreadyStaged + length > limits.MaxFileBytes)
                        throw new MaxFileSizeReachedError($"File size exceeded the maximum allowed size of {FileSettings.Megabytes(limits.MaxFileBytes)} MB");
                    md5.AppendData(chunk, 0, read);
                    await output.WriteAsync(chunk.AsMemory(0, read), ct);
                }
                // Durable before any record points at it: a crash after commit must not lose the bytes.
                await output.FlushAsync(ct);
                output.Flush(flushToDisk: true);
            }
            ok = true;
            return new UploadedFile(field, fileName, section.ContentType, path, length, Convert.ToHexStringLower(md5.GetHashAndReset()));
        }
        finally
        {
            if (!ok)
                File.Delete(path);
        }
    }
}
