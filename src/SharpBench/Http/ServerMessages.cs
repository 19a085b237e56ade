using System.Text;
using System.Text.Json;

namespace SharpBench.Http;

/// <summary>
/// <c>_server_messages</c> as Frappe writes it: a JSON string holding a JSON array whose items are
/// themselves JSON strings of message objects (double encoding), the inner ones with Python's
/// <c>", "</c> / <c>": "</c> separators.
/// </summary>
public static class ServerMessages
{
    public static string Encode(IEnumerable<ServerMessage> messages) =>
        JsonSerializer.Serialize(messages.Select(EncodeOne).ToList(), FrappeJson.Options);

    public static string EncodeOne(ServerMessage m)
    {
        var sb = new StringBuilder("{");
        void Add(string key, string valueJson)
        {
            if (sb.Length > 1)
                sb.Append(", ");
            sb.Append(JsonSerializer.Serialize(key, FrappeJson.Options)).Append(": ").Append(valueJson);
        }
        Add("message", JsonSerializer.Serialize(m.Message, FrappeJson.Options));
        Add("title", JsonSerializer.Serialize(m.Title ?? "Message", FrappeJson.Options));
        if (m.Indicator is not null)
            Add("indicator", JsonSerializer.Serialize(m.Indicator, FrappeJson.Options));
        if (m.RaiseException)
        {
            Add("raise_exception", "1");
            Add("__frappe_exc_id", JsonSerializer.Serialize(Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5)).ToLowerInvariant(), FrappeJson.Options));
        }
        return sb.Append('}').ToString();
    }
}
