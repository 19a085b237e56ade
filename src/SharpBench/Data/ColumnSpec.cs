using SharpBench.Model;

namespace SharpBench.Data;

/// <summary>A column as schema sync sees it, before a dialect turns it into SQL.</summary>
public sealed record ColumnSpec(string Name, ColumnKind Kind, int Length = 0, bool NotNull = false, string? Default = null)
{
    /// <summary>Frappe's standard columns (reference 9.1); <c>name</c> is the primary key.</summary>
    public static IReadOnlyList<ColumnSpec> Standard(bool autoincrement) =>
    [
        new("name", autoincrement ? ColumnKind.BigInt : ColumnKind.Varchar, 140, NotNull: true),
        new("creation", ColumnKind.Datetime),
        new("modified", ColumnKind.Datetime),
        new("modified_by", ColumnKind.Varchar, 140),
        new("owner", ColumnKind.Varchar, 140),
        new("docstatus", ColumnKind.Check, NotNull: true, Default: "0"),
        new("idx", ColumnKind.Int, NotNull: true, Default: "0"),
    ];

    public static IReadOnlyList<ColumnSpec> Child =>
    [
        new("parent", ColumnKind.Varchar, 140),
        new("parentfield", ColumnKind.Varchar, 140),
        new("parenttype", ColumnKind.Varchar, 140),
    ];

    public static IReadOnlyList<ColumnSpec> Meta =>
        DocTypeMeta.MetaFields.Select(f => new ColumnSpec(f, ColumnKind.Text)).ToList();

    public static ColumnSpec ForField(DocField field)
    {
        var kind = field.Storage ?? throw new ArgumentException($"{field.FieldName} has no column");
        var length = kind == ColumnKind.Varchar ? (field.Length > 0 ? field.Length : 140) : 0;
        // Numbers and checks default to 0 as in Frappe, so filters like `enabled = 0` find rows
        // that never set the field.
        var dflt = kind is ColumnKind.Int or ColumnKind.BigInt or ColumnKind.Check or ColumnKind.Decimal or ColumnKind.Rating
            ? NumericDefault(field.Default)
            : null;
        return new ColumnSpec(field.FieldName, kind, length, NotNull: false, Default: dflt);
    }

    private static string NumericDefault(string? value) =>
        decimal.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
            ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "0";
}
