using System.Text;
using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Auth;
using SharpBench.Files;
using SharpBench.Model;

namespace SharpBench.Http;

/// <summary><c>download_file</c> (bytes for token clients) and <c>frappe.client.attach_file</c> (content in the request body).</summary>
public static class FileMethods
{
    [Whitelist("frappe.handler.download_file", AllowGuest = true)]
    public static Task<object?> DownloadFile(FrappeContext ctx, string fileUrl, CancellationToken ct) => DownloadAsync(ctx, fileUrl, ct);

    [Whitelist("frappe.core.doctype.file.file.download_file", AllowGuest = true)]
    public static Task<object?> DownloadFileByPath(FrappeContext ctx, string fileUrl, CancellationToken ct) => DownloadAsync(ctx, fileUrl, ct);

    private static async Task<object?> DownloadAsync(FrappeContext ctx, string fileUrl, CancellationToken ct)
    {
        var files = await FileRights.WithUrlAsync(ctx, fileUrl, null, ct);
        if (files.Count == 0)
            throw new DoesNotExistError("File not found");
        if (!await FileRights.CanReadAsync(ctx, files[0], ct: ct))
            throw new PermissionError("You don't have permission to access this file", "Not Permitted");
        var path = SiteFiles.PathOf(ctx.Site, fileUrl);
        if (path is null || !File.Exists(path))
            throw new DoesNotExistError($"File {fileUrl} does not exist");
        var request = FrappeRequest.Of(ctx) ?? throw new ValidationError("download_file answers HTTP requests only");
        request.Writer = _ => FileResults.SendAsync(request.Http, path, forceDownload: true);
        return null;
    }

    [Whitelist("frappe.client.attach_file", Methods = ["POST", "PUT"])]
    public static async Task<object?> AttachFile(FrappeContext ctx, string? filename = null, string? filedata = null, string? doctype = null, string? docname = null,
        string? folder = null, JsonNode? decodeBase64 = null, JsonNode? isPrivate = null, string? docfield = null, CancellationToken ct = default)
    {
        if (FrappeRequest.Of(ctx) is { } request && !HttpMethodsIsPost(request.Method))
            throw new ValidationError("Invalid Request");
        if (string.IsNullOrEmpty(doctype) || string.IsNullOrEmpty(docname))
            throw new ValidationError("Document Type and Document Name are required to attach a file");
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        var doc = await Documents.GetAsync(ctx, doctype, docname, ignorePermissions: true, ct: ct);
        await Permissions.CheckAsync(ctx, meta, "write", doc, ct: ct);
        var content = Content(filedata ?? "", ListArgs.Bool(decodeBase64, false));
        var spec = new NewFile(filename, UploadMethods.Truthy(FormDict.Text(isPrivate)), folder, doctype, docname, docfield);
        var file = await FileWriter.SaveAsync(ctx, spec, content, ignorePermissions: false, ct);
        if (!string.IsNullOrEmpty(docfield))
        {
            doc.Set(docfield, file.GetString("file_url"));
            await Documents.SaveAsync(ctx, doc, ct);
        }
        return file.ToJson(includeNulls: true);
    }

    private static bool HttpMethodsIsPost(string method) => string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase);

    /// <summary>The bytes to store: the text as UTF-8, or (decode_base64) the base64 after any data-URL comma.</summary>
    private static byte[] Content(string data, bool decode)
    {
        if (!decode)
            return Encoding.UTF8.GetBytes(data);
        var comma = data.IndexOf(',', StringComparison.Ordinal);
        var b64 = (comma >= 0 ? data[(comma + 1)..] : data).Trim().Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(b64);
        }
        catch (FormatException)
        {
            throw new ValidationError("filedata is not valid base64");
        }
    }
}
