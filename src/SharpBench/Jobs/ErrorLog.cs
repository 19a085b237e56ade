using System.Text.Json.Nodes;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Jobs;

/// <summary>
/// Writes an Error Log document in the site for a failed job, in a context and transaction of its
/// own (the job's transaction was rolled back), as the job's user, as Frappe's <c>log_error</c> does.
/// </summary>
public static class ErrorLog
{
    public static async Task<string> WriteAsync(Site site, string user, string method, string error, string? traceId = null, CancellationToken ct = default)
    {
        await using var context = new FrappeContext(site, user);
        var doc = await Documents.NewAsync(context, "Error Log", new JsonObject
        {
            ["method"] = method.Length <= 140 ? method : method[..140],
            ["error"] = error,
            ["trace_id"] = traceId,
        }, ct);
        doc.Flags.IgnorePermissions = true;
        await Documents.InsertAsync(context, doc, ct);
        await context.CommitAsync(ct);
        return doc.Name!;
    }
}
