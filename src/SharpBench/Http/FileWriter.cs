using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SharpBench.Files;
using SharpBench.Model;

namespace SharpBench.Http;

/// <summary>What a new File record says about itself, apart from its bytes.</summary>
public sealed record NewFile(string? FileName, bool IsPrivate, string? Folder = null, string? AttachedToDocType = null, string? AttachedToName = null, string? AttachedToField = null);

/// <summary>
/// Frappe's <c>File.save_file</c> for bytes already staged on disk: size and type checks, then
/// content de-duplication (a File with the same hash and privacy whose bytes exist lends its
/// URL), else a conflict-free name (<c>name</c>, then <c>name</c>+last 6 hex of the md5, then a
/// random suffix) taken by an atomic no-overwrite rename, so two uploads of one name never
/// clobber each other and a reader never sees a half-written file. A rollback removes bytes
/// this unit of work placed.
/// </summary>
public static class FileWriter
{
    /// <summary>Context item marking URLs this unit of work wrote itself (so the caller owns the bytes: FileController).</summary>
    internal const string WrittenKey = "files.written:";

    public static async Task<Document> SaveAsync(FrappeContext ctx, NewFile file, UploadedFile staged, bool ignorePermissions, CancellationToken ct)
    {
        var fileName = SiteFiles.CheckFileName(file.FileName);
        var db = await ctx.DbAsync(ct);
        var max = await FileSettings.MaxFileSizeAsync(ctx.Site, db, ct);
        if (staged.Length > max)
            throw new MaxFileSizeReachedError($"File size exceeded the maximum allowed size of {FileSettings.Megabytes(max)} MB");
        if (await FileSettings.AllowedExtensionsAsync(db, ct) is { } allowed && !allowed.Contains(SiteFiles.FileType(fileName) ?? ""))
            throw new FileTypeNotAllowed($"File type of {SiteFiles.FileType(fileName) ?? fileName} is not allowed");

        var url = await ExistingCopyAsync(ctx, staged.Md5, file.IsPrivate, ct);
        if (url is null)
        {
            (fileName, url) = Place(ctx, staged, fileName, file.IsPrivate);
            var placed = SiteFiles.PathOf(ctx.Site, url)!;
            ctx.AfterRollback(() =>
            {
                File.Delete(placed);
                return Task.CompletedTask;
            });
        }
        ctx.Items[WrittenKey + url] = true;
        var doc = await Documents.NewAsync(ctx, "File", ct: ct);
        doc.Set("file_name", fileName);
        doc.Set("file_url", url);
        doc.Set("is_private", file.IsPrivate ? 1 : 0);
        doc.Set("folder", file.Folder);
        doc.Set("attached_to_doctype", file.AttachedToDocType);
        doc.Set("attached_to_name", file.AttachedToName);
        doc.Set("attached_to_field", file.AttachedToField);
        doc.Set("file_size", staged.Length);
        doc.Set("content_hash", staged.Md5);
        doc.Flags.IgnorePermissions = ignorePermissions;
        await Documents.InsertAsync(ctx, doc, ct);
        await AttachmentComments.AddAsync(ctx, doc, ct);
        return doc;
    }

    /// <summary>Writes bytes given in a request (attach_file) to a staging file, then saves them like an upload.</summary>
    public static async Task<Document> SaveAsync(FrappeContext ctx, NewFile file, ReadOnlyMemory<byte> content, bool ignorePermissions, CancellationToken ct)
    {
        var folder = SiteFiles.PrivateFolder(ctx.Site);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, SiteFiles.StagingPrefix + Guid.NewGuid().ToString("N") + ".part");
        await using (var output = new FileStream(path, FileMode.CreateNew, System.IO.FileAccess.Write))
        {
            await output.WriteAsync(content, ct);
            output.Flush(flushToDisk: true);
        }
        using var staged = new UploadedFile("file", file.FileName ?? "", null, path, content.Length, ContentHash.Of(content.Span));
        return await SaveAsync(ctx, file, staged, ignorePermissions, ct);
    }

    private static async Task<string?> ExistingCopyAsync(FrappeContext ctx, string md5, bool isPrivate, CancellationToken ct)
    {
        var db = await ctx.DbAsync(ct);
        var d = db.Dialect;
        var rows = await db.QueryValuesAsync(
            $"SELECT {d.Quote("file_url")} FROM {d.Quote("tabFile")} WHERE {d.Quote("content_hash")} = @p0 AND {d.Quote("is_private")} = @p1 AND {d.Quote("is_folder")} = 0",
            [md5, isPrivate ? 1 : 0], ct);
        foreach (var row in rows)
            if (row[0] is string url && SiteFiles.PathOf(ctx.Site, url) is { } path && File.Exists(path))
                return url;
        return null;
    }

    private static (string FileName, string Url) Place(FrappeContext ctx, UploadedFile staged, string fileName, bool isPrivate)
    {
        var folder = SiteFiles.Folder(ctx.Site, isPrivate);
        Directory.CreateDirectory(folder);
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var ext = Path.GetExtension(fileName);
        var candidates = new List<string> { fileName, stem + staged.Md5[^6..] + ext };
        for (var attempt = 0; ; attempt++)
        {
            var candidate = attempt < candidates.Count ? candidates[attempt] : stem + Naming.Hash(6).ToLowerInvariant() + ext;
            var target = SiteFiles.Resolve(folder, candidate) ?? throw new ValidationError($"File name {candidate} is not allowed");
            if (File.Exists(target))
                continue;
            try
            {
                File.Move(staged.StagedPath, target, overwrite: false);
                return (candidate, SiteFiles.Url(candidate, isPrivate));
            }
            catch (IOException) when (File.Exists(target) && attempt < 20)
            {
                // Another upload took the name between the check and the rename; try the next one.
            }
        }
    }
}
