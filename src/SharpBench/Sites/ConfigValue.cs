using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBench.Sites;

/// <summary>How <c>bench set-config</c> turns its VALUE argument into a JSON value.</summary>
public static class ConfigValue
{
    /// <summary>
    /// Without <c>-p</c>, Frappe still coerces "0"/"1" to numbers and "true"/"false" to booleans;
    /// "None" means "remove the key" (returned as null).
    /// </summary>
    public static JsonNode? Coerce(string value) => value switch
    {
        "0" => JsonValue.Create(0),
        "1" => JsonValue.Create(1),
        "true" or "True" => JsonValue.Create(true),
        "false" or "False" => JsonValue.Create(false),
        "None" => null,
        _ => JsonValue.Create(value),
    };

    /// <summary>
    /// With <c>-p</c>: the value is JSON (Frappe uses Python literals; their spellings
    /// True/False/None are accepted too). Anything else is an error and nothing is written.
    /// </summary>
    public static JsonNode? Parse(string value)
    {
        var text = value.Trim() switch
        {
            "True" => "true",
            "False" => "false",
            "None" => "null",
            var t => t,
        };
        try
        {
            var node = JsonNode.Parse(text);
            return node;
        }
        catch (JsonException e)
        {
            throw new BenchException($"Cannot parse '{value}' as JSON (-p): {e.Message.Split(" Path:")[0]}", e);
        }
    }
}
