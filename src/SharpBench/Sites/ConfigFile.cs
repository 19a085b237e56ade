using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBench.Sites;

/// <summary>
/// Reads and writes Frappe's JSON config files (site_config.json, common_site_config.json).
/// Writes go to a temporary file that replaces the original, so a crash never leaves half a file,
/// and they are serialised under a lock so two commands cannot interleave a read-modify-write.
/// </summary>
public static class ConfigFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 1 };

    public static JsonObject Read(string path)
    {
        if (!File.Exists(path))
            return [];
        var text = File.ReadAllText(path);
        if (string.IsNullOrWhiteSpace(text))
            return [];
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }) as JsonObject
                ?? throw new BenchException($"{path} must hold a JSON object.");
        }
        catch (JsonException e)
        {
            throw new BenchException(
                $"{path} is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}): {FirstSentence(e.Message)}", e);
        }
    }

    /// <summary>Applies <paramref name="change"/> to the file's object and saves it atomically.</summary>
    public static JsonObject Update(string path, Action<JsonObject> change)
    {
        using var fileLock = FileLock.Acquire(path + ".lock", TimeSpan.FromSeconds(10));
        var config = Read(path);
        change(config);
        Write(path, config);
        return config;
    }

    public static void Write(string path, JsonObject config)
    {
        // Frappe writes keys sorted with an indent of one space; keeping that makes diffs of
        // files written by Frappe and by us line up.
        var sorted = new JsonObject();
        foreach (var (key, value) in config.OrderBy(p => p.Key, StringComparer.Ordinal))
            sorted[key] = value?.DeepClone();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temp, sorted.ToJsonString(Indented) + "\n");
        File.Move(temp, path, overwrite: true);
    }

    private static string FirstSentence(string message)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
                message = message[..cut];
        }
        return message;
    }
}
