using System.Net;
using SharpBench.Model;

namespace SharpBench.Files;

/// <summary>The "Attachment" comment Frappe adds to a document when a file is attached to it.</summary>
public static class AttachmentComments
{
    public static async Task AddAsync(FrappeContext ctx, Document file, CancellationToken ct)
    {
        var doctype = file.GetString("attached_to_doctype");
        var name = file.GetString("attached_to_name");
        if (string.IsNullOrEmpty(doctype) || string.IsNullOrEmpty(name) || !await Documents.ExistsAsync(ctx, doctype, name, ct))
            return;
        var url = file.GetString("file_url") ?? "";
        var label = WebUtility.HtmlEncode(file.GetString("file_name") ?? url);
        var icon = file.GetInt("is_private") == 1 ? " <i class=\"fa fa-lock text-warning\"></i>" : "";
        var href = SiteFiles.IsLocalUrl(url) ? string.Join('/', url.Split('/').Select(Uri.EscapeDataString)) : url;
        var comment = await Documents.NewAsync(ctx, "Comment", ct: ct);
        comment.Set("comment_type", "Attachment");
        comment.Set("reference_doctype", doctype);
        comment.Set("reference_name", name);
        comment.Set("comment_email", ctx.User);
        comment.Set("content", $"Added <a href='{WebUtility.HtmlEncode(href)}' target='_blank'>{label}</a>{icon}");
        comment.Flags.IgnorePermissions = true;
        comment.Flags.IgnoreLinks = true;
        await Documents.InsertAsync(ctx, comment, ct);
    }
}
