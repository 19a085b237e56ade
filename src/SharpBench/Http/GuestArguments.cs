using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SharpBench.Http;

/// <summary>
/// What an anonymous caller sends to a method not marked <c>XssSafe</c> (frappe/__init__.py, whitelist with allow_guest and no xss_safe):
/// a string argument holding an HTML tag is HTML-escaped before the method sees it, so a guest
/// cannot plant markup that a desk user's browser would later run. Frappe instead keeps an
/// allow-list of tags; escaping all of them is stricter (docs/compatibility.md).
/// </summary>
public static partial class GuestArguments
{
    // What a browser would start a tag with; "a < b" is not markup.
    [GeneratedRegex(@"<[A-Za-z!/?]", RegexOptions.CultureInvariant)]
    private static partial Regex TagStart();

    /// <summary>The five characters that matter in HTML; other text (accents, emoji) stays as it is.</summary>
    private static string EscapeMarkup(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    public static JsonObject Escape(JsonObject form)
    {
        JsonObject? copy = null;
        foreach (var (key, value) in form)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var text) && TagStart().IsMatch(text))
            {
                copy ??= (JsonObject)form.DeepClone();
                copy[key] = EscapeMarkup(text);
            }
        }
        return copy ?? form;
    }
}
