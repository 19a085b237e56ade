using System.Text.Json;
using System.Text.Json.Serialization;

namespace SharpBench.Http;

/// <summary>
/// JSON as Frappe sends it: compact, non-ASCII escaped as \uXXXX, HTML characters left alone
/// (<see cref="AsciiJsonEncoder"/>).
/// </summary>
public static class FrappeJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = AsciiJsonEncoder.Instance,
    };

    public const string ContentType = "application/json";
}
