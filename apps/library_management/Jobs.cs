using System.Text.Json.Nodes;
using SharpBench;
using SharpBench.Apps;
using SharpBench.Model;

namespace LibraryManagement;

/// <summary>Background jobs, enqueued by the app's doc_events.</summary>
public static class Jobs
{
    public const string IssueArticles = "library_management.jobs.issue_articles";

    /// <summary>Marks every article of the loan <c>loan</c> as Issued.</summary>
    [FrappeMethod(IssueArticles)]
    public static async Task<object?> OnIssueArticles(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var loan = await Documents.GetAsync(context, "Library Loan", (string)kwargs["loan"]!, ct: ct);
        var issued = 0;
        foreach (var row in loan.Table("articles"))
        {
            var article = await Documents.GetAsync(context, "Article", row.GetString("article")!, ct: ct);
            article.Set("status", "Issued");
            await Documents.SaveAsync(context, article, ct);
            issued++;
        }
        return issued;
    }
}
