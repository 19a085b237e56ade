using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Auth;
using SharpBench.Files;
using SharpBench.Model;

namespace SharpBench.Http;

/// <summary>
/// <c>upload_file</c> (frappe/handler.py): a multipart <c>file</c> part (already streamed to disk
/// by the form reader), or a <c>file_url</c> to register, becomes a File record, attached when
/// <c>doctype</c>/<c>docname</c> say so. Guests need System Settings
/// <c>allow_guests_to_upload_files</c>; guests and website users may only send the
/// <see cref="MimeTypes.AllowedForWebsiteUsers"/> types.
/// </summary>
public static class UploadMethods
{
    [Whitelist("frappe.handler.upload_file", AllowGuest = true)]
    public static async Task<object?> UploadFile(FrappeContext ctx, JsonObject kwargs, CancellationToken ct)
    {
        bool ignorePermissions;
        if (ctx.IsGuest)
        {
            if (!await FileSettings.GuestsMayUploadAsync(await ctx.DbAsync(ct), ct))
                throw new PermissionError("You are not permitted to upload files.", "Not Permitted");
            ignorePermissions = true;
        }
        else
        {
            ignorePermissions = false;
        }
        string? Arg(string key) => FormDict.Text(kwargs[key]) is { Length: > 0 } v ? v : null;
        var isPrivate = Truthy(Arg("is_private"));
        var doctype = Arg("doctype");
        var docname = Arg("docname");
        var fieldname = Arg("fieldname");
        var fileUrl = Arg("file_url");
        var folder = Arg("folder") ?? "Home";
        var method = Arg("method");
        var fileName = Arg("file_name");

        if (Arg("library_file_name") is { } library)
        {
            var existing = await Documents.GetAsync(ctx, "File", library, ct: ct);
            isPrivate = existing.GetInt("is_private") == 1;
            fileUrl = existing.GetString("file_url");
            fileName = existing.GetString("file_name");
        }
        if (!ignorePermissions)
            await CheckWritePermissionAsync(ctx, doctype, docname, ct);

        var upload = FrappeRequest.Of(ctx)?.Files.FirstOrDefault(f => f.FieldName == "file");
        if (upload is not null)
        {
            fileName = upload.FileName;
            if (ctx.IsGuest || !(await Permissions.RolesAsync(ctx, ct: ct)).Contains("Desk User"))
            {
                if (MimeTypes.Guess(fileName) is not { } type || !MimeTypes.AllowedForWebsiteUsers.Contains(type))
                    throw new ValidationError("You can only upload JPG, PNG, PDF, TXT, CSV or Microsoft documents.");
            }
        }

        if (method is not null)
        {
            var target = ctx.Site.Host.Methods.Find(method);
            if (target?.Whitelist is null || (ctx.IsGuest && !target.Whitelist.AllowGuest))
                throw new PermissionError($"Function {System.Net.WebUtility.HtmlEncode(method)} is not whitelisted.", "Method Not Allowed");
            return await target.Invoke(ctx, [], ct);
        }

        var spec = new NewFile(fileName, isPrivate, folder, doctype, docname, fieldname);
        Document doc;
        if (upload is not null)
        {
            doc = await FileWriter.SaveAsync(ctx, spec, upload, ignorePermissions, ct);
        }
        else
        {
            doc = await Documents.NewAsync(ctx, "File", ct: ct);
            doc.Set("file_url", fileUrl);
            doc.Set("file_name", fileName);
            doc.Set("is_private", isPrivate ? 1 : 0);
            doc.Set("folder", folder);
            doc.Set("attached_to_doctype", doctype);
            doc.Set("attached_to_name", docname);
            doc.Set("attached_to_field", fieldname);
            doc.Flags.IgnorePermissions = ignorePermissions;
            await Documents.InsertAsync(ctx, doc, ct);
            await AttachmentComments.AddAsync(ctx, doc, ct);
        }
        return doc.ToJson();
    }

    /// <summary>
    /// Frappe v15's <c>check_write_permission</c>: attaching to a document needs write on it (a
    /// document not saved yet is let through); naming only the DocType needs write on the DocType.
    /// </summary>
    public static async Task CheckWritePermissionAsync(FrappeContext ctx, string? doctype, string? docname, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(doctype))
            return;
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        if (!string.IsNullOrEmpty(docname))
        {
            if (await Documents.FindAsync(ctx, doctype, docname, ct) is { } doc)
                await Permissions.CheckAsync(ctx, meta, "write", doc, ct: ct);
            return;
        }
        await Permissions.CheckAsync(ctx, meta, "write", ct: ct);
    }

    internal static bool Truthy(string? value) =>
        value is not null && (value.Trim() is "1" or "true" or "True" || (double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var d) && d != 0));
}
