using System.Text.Json;
using AngleSharp;
using AngleSharp.Dom;
using Ganss.Xss;

namespace SharpBench.Model;

/// <summary>
/// Frappe's <c>BaseDocument._sanitize_content</c>: before a document and its child rows are
/// written, HTML in their string values is cleaned against <see cref="HtmlAllowList"/>, so a client
/// that renders a field as HTML cannot be handed a stored script. Values with no <c>&lt;</c>, valid
/// JSON and text without a single element are left exactly as sent.
/// </summary>
internal static class ContentSanitizer
{
    private static readonly HtmlSanitizer Sanitizer = Build();

    // Attributes Frappe allows on <svg> only: removed from every other element after cleaning.
    private static readonly HashSet<string> SvgOnly = new(
        HtmlAllowList.SvgAttributes.Except(HtmlAllowList.Attributes, StringComparer.OrdinalIgnoreCase),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Cleans the document's and its rows' values in place. <paramref name="allowOnSubmitOnly"/>
    /// is set when a submitted document is updated: only its <c>allow_on_submit</c> fields can change.
    /// </summary>
    public static void Apply(Document doc, bool allowOnSubmitOnly)
    {
        // What install and migrate write comes from the apps' own files, as Frappe skips in_install.
        if (doc.Flags.InMigrate)
            return;
        Clean(doc, allowOnSubmitOnly);
        foreach (var table in doc.TableFields)
            foreach (var row in doc.Table(table))
                Clean(row, allowOnSubmitOnly);
    }

    private static void Clean(Document d, bool allowOnSubmitOnly)
    {
        foreach (var f in d.Meta.DataFields)
        {
            if (d.Get(f.FieldName) is not string value || !value.Contains('<') || Skips(f, allowOnSubmitOnly))
                continue;
            var clean = Html(value);
            if (!string.Equals(clean, value, StringComparison.Ordinal))
                d.SetRaw(f.FieldName, clean);
        }
    }

    private static bool Skips(DocField f, bool allowOnSubmitOnly) =>
        f.IgnoreXssFilter == 1
        || f.FieldType is "Attach" or "Attach Image" or "Barcode" or "Code" or "Password"
        || (f.FieldType is "Data" or "Small Text" or "Text" && f.Options == "Email")
        || (allowOnSubmitOnly && f.AllowOnSubmit != 1);

    /// <summary>
    /// Frappe's <c>sanitize_html</c>: the value itself when it is JSON or holds no element,
    /// else the cleaned markup.
    /// </summary>
    public static string Html(string value)
    {
        if (!value.Contains('<') || IsJson(value))
            return value;
        var parser = Sanitizer.HtmlParserFactory();
        using var dom = parser.ParseDocument("<!doctype html><html><body>" + value);
        // "a < b", "1<2" or a lone "<" are text, not markup: kept as typed, as Frappe keeps them.
        if (dom.Body is not { } body || body.ChildElementCount == 0)
            return value;
        Sanitizer.SanitizeDom(dom, body);
        return body.ChildNodes.ToHtml(Sanitizer.OutputFormatter);
    }

    private static bool IsJson(string value)
    {
        var start = value.AsSpan().TrimStart();
        if (start.IsEmpty || start[0] is not ('{' or '[' or '"'))
            return false;
        try
        {
            using var _ = JsonDocument.Parse(value);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static HtmlSanitizer Build()
    {
        var s = new HtmlSanitizer(HtmlSanitizerOptions.Empty())
        {
            KeepChildNodes = true,
            AllowDataAttributes = true,
        };
        foreach (var t in HtmlAllowList.Tags)
            s.AllowedTags.Add(t);
        foreach (var a in HtmlAllowList.Attributes.Concat(HtmlAllowList.SvgAttributes))
            s.AllowedAttributes.Add(a);
        foreach (var scheme in HtmlAllowList.Schemes)
            s.AllowedSchemes.Add(scheme);
        foreach (var a in HtmlSanitizerDefaults.UriAttributes)
            s.UriAttributes.Add(a);
        foreach (var a in HtmlSanitizerDefaults.UriListAttributes)
            s.UriListAttributes.Add(a);
        foreach (var p in HtmlSanitizerDefaults.AllowedCssProperties)
            s.AllowedCssProperties.Add(p);

        // A disallowed element goes but its text stays (bleach's strip), except code and styles,
        // which would otherwise come back as visible text.
        s.RemovingTag += (_, e) =>
        {
            if (e.Tag.LocalName is "script" or "style")
                e.Tag.TextContent = "";
        };
        // Comments stay, as in Frappe (strip_comments=False): the Markdown marker is one.
        s.RemovingComment += (_, e) => e.Cancel = true;
        // data: URLs only as images (what the Text Editor pastes); never a link or a frame.
        s.FilterUrl += (_, e) =>
        {
            if (e.SanitizedUrl is { } url && url.TrimStart().StartsWith("data:", StringComparison.OrdinalIgnoreCase)
                && !(e.Tag.LocalName == "img" && url.TrimStart().StartsWith("data:image/", StringComparison.OrdinalIgnoreCase)))
                e.SanitizedUrl = null;
        };
        s.PostProcessNode += (_, e) =>
        {
            if (e.Node is not IElement el || el.LocalName == "svg" || el.Attributes.Length == 0)
                return;
            foreach (var name in el.Attributes.Select(a => a.Name).Where(SvgOnly.Contains).ToList())
                el.RemoveAttribute(name);
        };
        return s;
    }
}
