using System.Text.Json.Nodes;
using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>
/// Client JSON whose strings are not valid Unicode: JSON may escape a lone UTF-16 surrogate
/// (<c>"\ud800"</c>), which System.Text.Json reads lazily and then refuses with an
/// InvalidOperationException, and which no database can store. Checking a parsed tree once,
/// where it enters, turns that into a 417 before anything uses it.
/// </summary>
public static class ClientText
{
    public const string Message = "Text must be valid Unicode: it holds a lone UTF-16 surrogate";

    public static T Check<T>(T node) where T : JsonNode?
    {
        try
        {
            Walk(node);
        }
        catch (InvalidOperationException)
        {
            throw new ValidationError(Message);
        }
        return node;
    }

    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (!Database.IsWellFormed(key))
                        throw new ValidationError(Message);
                    Walk(value);
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    Walk(item);
                break;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                if (!Database.IsWellFormed(v.GetValue<string>()))
                    throw new ValidationError(Message);
                break;
        }
    }
}
