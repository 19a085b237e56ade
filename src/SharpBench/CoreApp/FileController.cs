using System.Security.Cryptography;
using SharpBench.Files;
using SharpBench.Http;
using SharpBench.Model;

namespace SharpBench.CoreApp;

/// <summary>
/// Frappe's File controller (frappe/core/doctype/file/file.py): folders are named by their path
/// (<c>Home/Attachments</c>), files by a random hash; a file goes to the Attachments folder when
/// attached, else Home; a local <c>file_url</c> must stay inside the site's file folders and
/// exist on disk; deleting a File removes its bytes once no other File shares them.
/// </summary>
public sealed class FileController : DocumentController
{
    public override Task<string?> AutonameAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        if (doc.GetInt("is_folder") == 0)
            return Task.FromResult<string?>(Naming.Hash(10));
        var folder = doc.GetString("folder");
        var name = doc.GetString("file_name");
        return Task.FromResult<string?>(string.IsNullOrEmpty(folder) ? name : folder + "/" + name);
    }

    public override async Task BeforeInsertAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(doc.GetString("folder")))
        {
            if (!string.IsNullOrEmpty(doc.GetString("attached_to_doctype")))
                doc.Set("folder", await AttachmentsFolderAsync(ctx, ct));
            else if (doc.GetInt("is_home_folder") == 0)
                doc.Set("folder", "Home");
        }
        var url = doc.GetString("file_url");
        var fileName = doc.GetString("file_name");
        if (string.IsNullOrEmpty(fileName) && string.IsNullOrEmpty(url))
            throw new ValidationError("Fields `file_name` or `file_url` must be set for File", "MandatoryError");
        if (string.IsNullOrEmpty(fileName))
            doc.Set("file_name", Uri.UnescapeDataString(url![(url!.LastIndexOf('/') + 1)..]));
        SiteFiles.CheckFileName(doc.GetString("file_name"));
    }

    public override async Task ValidateAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        if (doc.GetInt("is_folder") == 1)
            return;
        var attachedTo = doc.GetString("attached_to_doctype");
        if (!string.IsNullOrEmpty(attachedTo) && string.IsNullOrEmpty(doc.GetString("attached_to_name")))
            throw new ValidationError("Attached To Name must be a string or an integer");
        var field = doc.GetString("attached_to_field");
        if (!string.IsNullOrEmpty(field) && !field.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw new ValidationError("The fieldname you've specified in Attached To Field is invalid");
        var url = doc.GetString("file_url");
        if (string.IsNullOrEmpty(url))
            throw new ValidationError("Fields `file_name` or `file_url` must be set for File", "MandatoryError");
        doc.Set("file_type", SiteFiles.FileType(doc.GetString("file_name")));
        if (SiteFiles.IsRemoteUrl(url))
            return;
        if (!SiteFiles.IsLocalUrl(url))
            throw new ValidationError("URL must start with http:// or https://");
        var path = SiteFiles.PathOf(ctx.Site, url)
            ?? throw new ValidationError("The File URL you've entered is incorrect");
        if (!File.Exists(path))
            throw new ValidationError($"File {url} does not exist", "IOError");
        doc.Set("is_private", url.StartsWith(SiteFiles.PrivatePrefix, StringComparison.Ordinal) ? 1 : 0);
        var changed = doc.IsNew || FieldValue.Text(doc.Original.GetValueOrDefault("file_url")) != url;
        if (changed && !ctx.Items.ContainsKey(FileWriter.WrittenKey + url))
            await AdoptExistingAsync(ctx, doc, url, path);
    }

    /// <summary>
    /// A record made for bytes already on disk (upload_file with <c>file_url</c>): a private file
    /// may be pointed at only by someone who may already read it, else a new record would make
    /// its creator the owner of someone else's private file.
    /// </summary>
    private static async Task AdoptExistingAsync(FrappeContext ctx, Document doc, string url, string path)
    {
        if (doc.GetInt("is_private") == 1 && !ctx.IsAdministrator && !doc.Flags.IgnorePermissions
            && !await FileRights.CanReadUrlAsync(ctx, url, null, CancellationToken.None))
            throw new PermissionError("You don't have permission to access this file", "Not Permitted");
        var info = new FileInfo(path);
        doc.Set("file_size", info.Length);
        if (string.IsNullOrEmpty(doc.GetString("content_hash")))
        {
            await using var stream = info.OpenRead();
            doc.Set("content_hash", await ContentHash.OfAsync(stream));
        }
    }

    public override async Task OnTrashAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        if (doc.GetInt("is_home_folder") == 1 || doc.GetInt("is_attachments_folder") == 1)
            throw new ValidationError("Cannot delete Home and Attachments folders");
        var db = await ctx.DbAsync(ct);
        var d = db.Dialect;
        if (doc.GetInt("is_folder") == 1)
        {
            var child = await db.ScalarAsync($"SELECT {d.Quote("name")} FROM {d.Quote("tabFile")} WHERE {d.Quote("folder")} = @p0 LIMIT 1", [doc.Name], ct);
            if (child is not null)
                throw new FolderNotEmpty($"Folder {doc.Name} is not empty");
            return;
        }
        var url = doc.GetString("file_url");
        var path = SiteFiles.PathOf(ctx.Site, url);
        if (path is null)
            return;
        // Bytes shared by another record (same content, or the same URL) stay; removal waits for the commit.
        var hash = doc.GetString("content_hash");
        var shared = await db.ScalarAsync(
            $"SELECT {d.Quote("name")} FROM {d.Quote("tabFile")} WHERE {d.Quote("name")} <> @p0 AND ({d.Quote("file_url")} = @p1 OR {d.Quote("content_hash")} = @p2) LIMIT 1",
            [doc.Name, url, string.IsNullOrEmpty(hash) ? "\u0000" : hash], ct);
        if (shared is not null || string.IsNullOrEmpty(hash))
            return;
        ctx.AfterCommit(() =>
        {
            File.Delete(path);
            return Task.CompletedTask;
        });
    }

    private static async Task<string> AttachmentsFolderAsync(FrappeContext ctx, CancellationToken ct)
    {
        var db = await ctx.DbAsync(ct);
        var d = db.Dialect;
        return await db.ScalarAsync($"SELECT {d.Quote("name")} FROM {d.Quote("tabFile")} WHERE {d.Quote("is_attachments_folder")} = 1 LIMIT 1", [], ct) as string
            ?? "Home/Attachments";
    }
}
