using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBench.Realtime.Sockets;

/// <summary>
/// Turns emit arguments into the JSON array Socket.IO sends, pulling <c>byte[]</c> values out
/// as binary attachments behind <c>{"_placeholder":true,"num":i}</c>; and reads them back.
/// </summary>
internal static class SocketArgs
{
    public static JsonArray ToArray(IEnumerable<object?> args, List<byte[]> attachments)
    {
        var array = new JsonArray();
        foreach (var a in args)
            array.Add(ToNode(a, attachments));
        return array;
    }

    public static JsonNode? ToNode(object? value, List<byte[]> attachments)
    {
        switch (value)
        {
            case null:
                return null;
            case byte[] bytes:
                attachments.Add(bytes);
                return new JsonObject { ["_placeholder"] = true, ["num"] = attachments.Count - 1 };
            case JsonNode node:
                return node.Parent is null ? node : node.DeepClone();
            case string s:
                return JsonValue.Create(s);
            case IDictionary<string, object?> map:
                {
                    var o = new JsonObject();
                    foreach (var (k, v) in map)
                        o[k] = ToNode(v, attachments);
                    return o;
                }
            case IEnumerable items when value is not string:
                {
                    var arr = new JsonArray();
                    foreach (var item in items)
                        arr.Add(ToNode(item, attachments));
                    return arr;
                }
            default:
                return JsonSerializer.SerializeToNode(value);
        }
    }

    /// <summary>The attachment a placeholder stands for, or null when the node is not one.</summary>
    public static byte[]? Binary(JsonNode? node, IReadOnlyList<byte[]> attachments) =>
        node is JsonObject o && o["_placeholder"] is JsonValue p && p.GetValueKind() == JsonValueKind.True
            && o["num"] is JsonValue n && n.TryGetValue<int>(out var i) && i >= 0 && i < attachments.Count
            ? attachments[i]
            : null;

    /// <summary>A copy of the node with every placeholder replaced by the bytes it stands for.</summary>
    public static object? Resolve(JsonNode? node, IReadOnlyList<byte[]> attachments)
    {
        if (Binary(node, attachments) is { } bytes)
            return bytes;
        return node switch
        {
            JsonObject o => o.ToDictionary(kv => kv.Key, kv => Resolve(kv.Value, attachments)),
            JsonArray a => a.Select(x => Resolve(x, attachments)).ToList(),
            _ => node?.DeepClone(),
        };
    }
}
