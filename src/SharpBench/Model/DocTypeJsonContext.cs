using System.Text.Json;
using System.Text.Json.Serialization;

namespace SharpBench.Model;

/// <summary>
/// DocType definitions read and written by generated code rather than by reflection: every
/// process start parses the apps' DocTypes and migrate hashes them, and on a short command
/// (bench migrate, restore) the reflection path's first use of each type is a visible share of
/// its time.
/// </summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    Converters = [typeof(LenientIntConverter), typeof(LenientStringConverter)])]
[JsonSerializable(typeof(DocTypeMeta))]
internal sealed partial class DocTypeJsonContext : JsonSerializerContext;
