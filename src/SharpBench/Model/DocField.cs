using System.Text.Json.Serialization;
using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>One field of a DocType, as it appears in the <c>fields</c> list of Frappe's DocType JSON.</summary>
public sealed class DocField
{
    [JsonPropertyName("fieldname")] public string FieldName { get; set; } = "";
    [JsonPropertyName("fieldtype")] public string FieldType { get; set; } = "Data";
    [JsonPropertyName("label")] public string? Label { get; set; }
    [JsonPropertyName("options")] public string? Options { get; set; }
    [JsonPropertyName("default")] public string? Default { get; set; }
    [JsonPropertyName("reqd")] public int Reqd { get; set; }
    [JsonPropertyName("unique")] public int Unique { get; set; }
    [JsonPropertyName("search_index")] public int SearchIndex { get; set; }
    [JsonPropertyName("read_only")] public int ReadOnly { get; set; }
    [JsonPropertyName("hidden")] public int Hidden { get; set; }
    [JsonPropertyName("permlevel")] public int PermLevel { get; set; }
    [JsonPropertyName("in_list_view")] public int InListView { get; set; }
    [JsonPropertyName("in_standard_filter")] public int InStandardFilter { get; set; }
    [JsonPropertyName("length")] public int Length { get; set; }
    [JsonPropertyName("precision")] public string? Precision { get; set; }
    [JsonPropertyName("no_copy")] public int NoCopy { get; set; }
    [JsonPropertyName("allow_on_submit")] public int AllowOnSubmit { get; set; }
    [JsonPropertyName("non_negative")] public int NonNegative { get; set; }
    [JsonPropertyName("is_virtual")] public int IsVirtual { get; set; }
    [JsonPropertyName("fetch_from")] public string? FetchFrom { get; set; }
    [JsonPropertyName("depends_on")] public string? DependsOn { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }

    /// <summary>Keep HTML in this field exactly as sent (Frappe's "Ignore XSS Filter"): for fields whose markup is trusted or escaped when shown.</summary>
    [JsonPropertyName("ignore_xss_filter")] public int IgnoreXssFilter { get; set; }

    /// <summary>How this field is stored, or null for layout fields and tables that have no column.</summary>
    [JsonIgnore]
    public ColumnKind? Storage
    {
        get
        {
            if (IsVirtual == 1)
                return null;
            // Read on every value a document sets or returns: remember the lookup per field type.
            var cached = _storage;
            if (!ReferenceEquals(cached.Type, FieldType))
                _storage = cached = (FieldType, FieldTypes.StorageOf(FieldType));
            return cached.Kind;
        }
    }

    private (string? Type, ColumnKind? Kind) _storage;

    [JsonIgnore] public bool IsTable => FieldTypes.IsTable(FieldType);
}
