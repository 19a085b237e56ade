using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace SharpBench.Model;

/// <summary>
/// A DocType definition in Frappe's JSON format. Names are checked when the meta is loaded, so
/// the SQL built from a DocType (table and column names) only ever holds checked identifiers.
/// </summary>
public sealed partial class DocTypeMeta
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("module")] public string? Module { get; set; }
    [JsonPropertyName("autoname")] public string? Autoname { get; set; }
    [JsonPropertyName("naming_rule")] public string? NamingRule { get; set; }
    [JsonPropertyName("istable")] public int IsTable { get; set; }
    [JsonPropertyName("issingle")] public int IsSingle { get; set; }
    [JsonPropertyName("is_submittable")] public int IsSubmittable { get; set; }
    [JsonPropertyName("is_virtual")] public int IsVirtual { get; set; }
    [JsonPropertyName("custom")] public int Custom { get; set; }
    [JsonPropertyName("track_changes")] public int TrackChanges { get; set; }
    [JsonPropertyName("allow_rename")] public int AllowRename { get; set; }
    [JsonPropertyName("title_field")] public string? TitleField { get; set; }
    [JsonPropertyName("search_fields")] public string? SearchFields { get; set; }
    [JsonPropertyName("sort_field")] public string? SortField { get; set; }
    [JsonPropertyName("sort_order")] public string? SortOrder { get; set; }
    [JsonPropertyName("fields")] public List<DocField> Fields { get; set; } = [];
    [JsonPropertyName("permissions")] public List<DocPerm> Permissions { get; set; } = [];

    /// <summary>Columns every table has, in Frappe's order.</summary>
    public static readonly IReadOnlyList<string> StandardFields =
        ["name", "owner", "creation", "modified", "modified_by", "docstatus", "idx"];

    public static readonly IReadOnlyList<string> ChildFields = ["parent", "parentfield", "parenttype"];

    public static readonly IReadOnlyList<string> MetaFields = ["_user_tags", "_comments", "_assign", "_liked_by"];

    [JsonIgnore] public string TableName => "tab" + Name;

    [JsonIgnore] public bool IsChild => IsTable == 1;

    [JsonIgnore] public bool Single => IsSingle == 1;

    [JsonIgnore] public IReadOnlyList<DocField> DataFields => Index().Data;

    [JsonIgnore] public IReadOnlyList<DocField> TableFields => Index().Tables;

    public DocField? Field(string fieldName) => Index().ByName.GetValueOrDefault(fieldName);

    private FieldIndex? _index;

    /// <summary>
    /// Lookups every request makes (a field by name, the stored fields, the tables), built once
    /// per meta and rebuilt only if its field list was replaced or grew or shrank.
    /// </summary>
    private FieldIndex Index()
    {
        var index = _index;
        if (index is not null && ReferenceEquals(index.Source, Fields) && index.Count == Fields.Count)
            return index;
        var byName = new Dictionary<string, DocField>(StringComparer.Ordinal);
        foreach (var f in Fields)
            byName.TryAdd(f.FieldName, f);
        _index = index = new FieldIndex(Fields, Fields.Count, byName, [.. Fields.Where(f => f.Storage is not null)], [.. Fields.Where(f => f.IsTable)]);
        return index;
    }

    private sealed record FieldIndex(List<DocField> Source, int Count, Dictionary<string, DocField> ByName, DocField[] Data, DocField[] Tables);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 _-]{0,60}$", RegexOptions.CultureInvariant)]
    private static partial Regex DocTypeNameShape();

    [GeneratedRegex(@"^[a-z_][a-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldNameShape();

    public static bool IsValidDocTypeName(string? name) => name is not null && DocTypeNameShape().IsMatch(name);

    public static bool IsValidFieldName(string? name) => name is not null && FieldNameShape().IsMatch(name);

    public static DocTypeMeta Parse(string json, string source)
    {
        DocTypeMeta meta;
        try
        {
            meta = JsonSerializer.Deserialize<DocTypeMeta>(json, JsonOptions)
                ?? throw new InvalidDataException($"{source}: empty DocType definition");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a valid DocType definition: {e.Message}", e);
        }
        meta.Validate(source);
        return meta;
    }

    /// <summary>Rejects names that are not safe identifiers and field types we do not know.</summary>
    public void Validate(string source)
    {
        if (!IsValidDocTypeName(Name))
            throw new InvalidDataException($"{source}: '{Name}' is not a valid DocType name (letters, digits, spaces, '_' and '-', at most 61)");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in Fields)
        {
            if (!FieldTypes.IsKnown(f.FieldType))
                throw new InvalidDataException($"{source}: field '{f.FieldName}' has unknown type '{f.FieldType}'");
            if (f.Storage is null && !f.IsTable && string.IsNullOrEmpty(f.FieldName))
                continue;
            if (!IsValidFieldName(f.FieldName))
                throw new InvalidDataException($"{source}: '{f.FieldName}' is not a valid field name (lower-case letters, digits and '_')");
            if (StandardFields.Contains(f.FieldName) || ChildFields.Contains(f.FieldName))
                throw new InvalidDataException($"{source}: field '{f.FieldName}' clashes with a standard column");
            if (!seen.Add(f.FieldName))
                throw new InvalidDataException($"{source}: field '{f.FieldName}' is defined twice");
        }
    }

    /// <summary>Frappe's DocType JSON, leniently read (numbers as strings, comments, trailing commas).</summary>
    public static readonly JsonSerializerOptions JsonOptions = DocTypeJsonContext.Default.Options;
}
