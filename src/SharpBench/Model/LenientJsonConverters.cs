using System.Text.Json;
using System.Text.Json.Serialization;

namespace SharpBench.Model;

/// <summary>
/// Frappe's DocType JSON is written by Python: flags may be <c>0</c>/<c>1</c>, <c>true</c>/<c>false</c>
/// or absent, and a <c>default</c> may be a number. These converters accept all of those.
/// </summary>
internal sealed class LenientIntConverter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.TryGetInt32(out var i) ? i : (int)reader.GetDouble(),
        JsonTokenType.True => 1,
        JsonTokenType.False or JsonTokenType.Null => 0,
        JsonTokenType.String => int.TryParse(reader.GetString(), out var s) ? s : 0,
        _ => throw new JsonException($"expected a number, got {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

internal sealed class LenientStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        JsonTokenType.Number => reader.TryGetInt64(out var l) ? l.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : reader.GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonTokenType.True => "1",
        JsonTokenType.False => "0",
        _ => throw new JsonException($"expected a string, got {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
