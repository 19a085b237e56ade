using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBench.Realtime.Publishing;

/// <summary>
/// One published event, as it travels on the Redis channel <c>events</c>:
/// <c>{"event","message","namespace","room"}</c> (namespace = site directory name, no slash).
/// </summary>
internal sealed class RealtimeMessage
{
    public required string Event { get; init; }
    public JsonNode? Message { get; init; }
    public string? Room { get; init; }
    public string? Namespace { get; init; }

    private string? _messageJson;

    public string MessageJson => _messageJson ??= Message?.ToJsonString() ?? "{}";

    public string ToJson()
    {
        var o = new JsonObject
        {
            ["event"] = Event,
            ["message"] = Message?.DeepClone() ?? new JsonObject(),
            ["namespace"] = Namespace,
            ["room"] = Room,
        };
        return o.ToJsonString();
    }

    /// <summary>Parses a message from the channel; null when it is not an object with a string event.</summary>
    public static RealtimeMessage? Parse(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
        if (node is not JsonObject o || o["event"] is not JsonValue ev || ev.GetValueKind() != JsonValueKind.String)
            return null;
        static string? Str(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        var message = o["message"];
        o.Remove("message");
        return new RealtimeMessage { Event = ev.GetValue<string>(), Message = message, Room = Str(o["room"]), Namespace = Str(o["namespace"]) };
    }
}
