using System.Text.Json;
using System.Text.Json.Serialization;

namespace SharpBench.Http;

/// <summary>
/// JSON as Frappe sends it: compact, non-ASCII escaped as \uXXXX. (The default encoder also
/// escapes &lt; &gt; &amp; and ', which any JSON parser reads back the same; see docs/compatibility.md.)
/// </summary>
public static class FrappeJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public const string ContentType = "application/json";
}
