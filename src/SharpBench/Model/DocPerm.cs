using System.Text.Json.Serialization;

namespace SharpBench.Model;

/// <summary>One role's rights on a DocType (a row of its <c>permissions</c> table).</summary>
public sealed class DocPerm
{
    [JsonPropertyName("role")] public string Role { get; set; } = "";
    [JsonPropertyName("permlevel")] public int PermLevel { get; set; }
    [JsonPropertyName("if_owner")] public int IfOwner { get; set; }
    [JsonPropertyName("select")] public int Select { get; set; }
    [JsonPropertyName("read")] public int Read { get; set; }
    [JsonPropertyName("write")] public int Write { get; set; }
    [JsonPropertyName("create")] public int Create { get; set; }
    [JsonPropertyName("delete")] public int Delete { get; set; }
    [JsonPropertyName("submit")] public int Submit { get; set; }
    [JsonPropertyName("cancel")] public int Cancel { get; set; }
    [JsonPropertyName("amend")] public int Amend { get; set; }
    [JsonPropertyName("report")] public int Report { get; set; }
    [JsonPropertyName("export")] public int Export { get; set; }
    [JsonPropertyName("import")] public int Import { get; set; }
    [JsonPropertyName("share")] public int Share { get; set; }
    [JsonPropertyName("print")] public int Print { get; set; }
    [JsonPropertyName("email")] public int Email { get; set; }
}
