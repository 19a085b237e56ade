using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>Frappe's field types and the storage each one gets (frappe/database/mariadb/database.py, type_map).</summary>
public static class FieldTypes
{
    private static readonly Dictionary<string, ColumnKind?> Storage = new(StringComparer.Ordinal)
    {
        ["Data"] = ColumnKind.Varchar,
        ["Link"] = ColumnKind.Varchar,
        ["Dynamic Link"] = ColumnKind.Varchar,
        ["Select"] = ColumnKind.Varchar,
        ["Read Only"] = ColumnKind.Varchar,
        ["Color"] = ColumnKind.Varchar,
        ["Phone"] = ColumnKind.Varchar,
        ["Icon"] = ColumnKind.Varchar,
        ["Autocomplete"] = ColumnKind.Varchar,
        ["Int"] = ColumnKind.Int,
        ["Long Int"] = ColumnKind.BigInt,
        ["Check"] = ColumnKind.Check,
        ["Float"] = ColumnKind.Decimal,
        ["Currency"] = ColumnKind.Decimal,
        ["Percent"] = ColumnKind.Decimal,
        ["Duration"] = ColumnKind.Decimal,
        ["Rating"] = ColumnKind.Rating,
        ["Date"] = ColumnKind.Date,
        ["Datetime"] = ColumnKind.Datetime,
        ["Time"] = ColumnKind.Time,
        ["Text"] = ColumnKind.Text,
        ["Small Text"] = ColumnKind.Text,
        ["Password"] = ColumnKind.Text,
        ["Attach"] = ColumnKind.Text,
        ["Attach Image"] = ColumnKind.Text,
        ["Long Text"] = ColumnKind.LongText,
        ["Code"] = ColumnKind.LongText,
        ["Text Editor"] = ColumnKind.LongText,
        ["Markdown Editor"] = ColumnKind.LongText,
        ["HTML Editor"] = ColumnKind.LongText,
        ["Signature"] = ColumnKind.LongText,
        ["Barcode"] = ColumnKind.LongText,
        ["Geolocation"] = ColumnKind.LongText,
        ["JSON"] = ColumnKind.Json,
        ["Table"] = null,
        ["Table MultiSelect"] = null,
        ["Section Break"] = null,
        ["Column Break"] = null,
        ["Tab Break"] = null,
        ["HTML"] = null,
        ["Button"] = null,
        ["Image"] = null,
        ["Heading"] = null,
        ["Fold"] = null,
    };

    public static bool IsKnown(string fieldType) => Storage.ContainsKey(fieldType);

    public static ColumnKind? StorageOf(string fieldType) =>
        Storage.TryGetValue(fieldType, out var kind) ? kind : throw new ArgumentException($"Unknown field type '{fieldType}'");

    public static bool IsTable(string fieldType) => fieldType is "Table" or "Table MultiSelect";
}
