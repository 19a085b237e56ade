using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Sites;

namespace SharpBench.Cli.Apps;

/// <summary>One entry of frappe_docker's apps.json: a git URL (or a local path) and an optional branch or tag.</summary>
internal sealed record AppSpec(string Url, string? Branch);

/// <summary>
/// Reads an apps.json (<c>[{"url": "...", "branch": "..."}]</c>) completely before anything is
/// made, so a bad file stops <c>bench init</c> with the entry named and no half-made bench. The
/// URLs may carry tokens: errors show them redacted.
/// </summary>
internal static class AppsJson
{
    public static IReadOnlyList<AppSpec> Read(string path)
    {
        if (!File.Exists(path))
            throw new BenchException($"{path} does not exist.");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new BenchException($"{path} is not valid JSON: {e.Message.Split(" Path:")[0]}");
        }
        if (root is not JsonArray entries)
            throw new BenchException($"{path} must be a JSON array of {{\"url\": ..., \"branch\": ...}} objects (frappe_docker's apps.json), not a JSON {Kind(root)}.");
        var specs = new List<AppSpec>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not JsonObject entry)
                throw new BenchException($"{path}: entry {i + 1} must be an object with \"url\" (and optionally \"branch\"), not a JSON {Kind(entries[i])}.");
            if (entry["url"] is not JsonValue u || !u.TryGetValue<string>(out var url) || string.IsNullOrWhiteSpace(url))
                throw new BenchException($"{path}: entry {i + 1} has no \"url\" (a git URL or a local path).");
            string? branch = null;
            if (entry["branch"] is { } b && (b is not JsonValue bv || !bv.TryGetValue(out branch) || string.IsNullOrWhiteSpace(branch)))
                throw new BenchException($"{path}: entry {i + 1} ({GitUrl.Redact(url)}) has a \"branch\" that is not a non-empty string.");
            specs.Add(new AppSpec(url.Trim(), branch?.Trim()));
        }
        var twice = specs.GroupBy(s => GitUrl.Redact(s.Url).TrimEnd('/').Replace(".git", "", StringComparison.Ordinal), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new BenchException($"{path} names {twice.Key} more than once: each app can be in a bench once.");
        return specs;
    }

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => node.GetValueKind().ToString().ToLowerInvariant(),
    };
}
