using System.Reflection;
using SharpBench.Apps;

namespace SharpBench.Model;

/// <summary>
/// The whitelisted methods every document has, as Frappe's <c>Document</c> class: <c>submit</c>,
/// <c>cancel</c>, <c>rename</c> and <c>add_comment</c>; and <c>validate</c>, which runs the
/// document's checks and its controller's <c>validate</c> without saving (Frappe has no such
/// whitelisted method: docs/compatibility.md).
/// </summary>
internal static class CoreDocMethods
{
    public static readonly IReadOnlyDictionary<string, DocMethod> All = new Dictionary<string, DocMethod>(StringComparer.Ordinal)
    {
        ["submit"] = Bind(nameof(SubmitAsync), "submit"),
        ["cancel"] = Bind(nameof(CancelAsync), "cancel"),
        ["rename"] = Bind(nameof(RenameAsync), "rename"),
        ["add_comment"] = Bind(nameof(AddCommentAsync), "add_comment"),
        ["validate"] = Bind(nameof(ValidateAsync), "validate"),
    };

    private static DocMethod Bind(string method, string name)
    {
        var bound = MethodBinder.Bind(typeof(CoreDocMethods).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!, name);
        return new DocMethod(name, new WhitelistAttribute(name), (ctx, doc, kwargs, ct) => bound(null, ctx, doc, kwargs, ct));
    }

    private static Task<Document> SubmitAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Documents.SubmitAsync(ctx, doc, ct);

    private static Task<Document> CancelAsync(FrappeContext ctx, Document doc, CancellationToken ct) => Documents.CancelAsync(ctx, doc, ct);

    /// <summary>Renames the document (and what links to it); the document then carries its new name.</summary>
    private static async Task RenameAsync(FrappeContext ctx, Document doc, string name, bool merge = false, CancellationToken ct = default)
    {
        if (doc.IsNew || doc.Name is null)
            throw new ValidationError($"{doc.DocType} must be saved before it can be renamed");
        var newName = await Rename.RenameAsync(ctx, doc.DocType, doc.Name, name, merge, ct: ct);
        var reloaded = await Documents.GetAsync(ctx, doc.DocType, newName, ignorePermissions: true, ct);
        doc.Name = reloaded.Name;
        doc.Modified = reloaded.Modified;
    }

    /// <summary>
    /// A Comment on the document, stored whatever the caller's rights on Comment: being allowed
    /// to run a method on the document is what counts, as in Frappe.
    /// </summary>
    private static async Task<Document> AddCommentAsync(FrappeContext ctx, Document doc, string commentType = "Comment", string? text = null,
        string? commentEmail = null, string? commentBy = null, CancellationToken ct = default)
    {
        if (doc.IsNew || doc.Name is null)
            throw new ValidationError($"{doc.DocType} must be saved before it can be commented on");
        var comment = await Documents.NewAsync(ctx, "Comment", ct: ct);
        comment.Set("comment_type", commentType);
        comment.Set("comment_email", string.IsNullOrEmpty(commentEmail) ? ctx.User : commentEmail);
        comment.Set("comment_by", commentBy);
        comment.Set("reference_doctype", doc.DocType);
        comment.Set("reference_name", doc.Name);
        comment.Set("content", string.IsNullOrEmpty(text) ? commentType : text);
        comment.Flags.IgnorePermissions = true;
        return await Documents.InsertAsync(ctx, comment, ct);
    }

    private static async Task ValidateAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        await DocEvents.RunAsync(ctx, doc, DocEvents.Validate, ct);
        await Validation.RunAsync(ctx, doc, mandatory: true, ct);
    }
}
