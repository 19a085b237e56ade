namespace SharpBench.Desk;

/// <summary>Frappe's desk URL slugs: a DocType's name in lower case with spaces as dashes (<c>Scheduled Job Type</c> → <c>scheduled-job-type</c>).</summary>
public static class DeskRoutes
{
    public static string Slug(string doctype) => doctype.ToLowerInvariant().Replace(' ', '-');
}
