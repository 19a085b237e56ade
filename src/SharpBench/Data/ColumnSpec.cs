namespace SharpBench.Data;

/// <summary>A column as schema sync sees it, before a dialect turns it into SQL.</summary>
public sealed record ColumnSpec(string Name, ColumnKind Kind, int Length = 0, bool NotNull = false, string? Default = null)
{
    /// <summary>Frappe's standard columns (frappe/model/__init__.py, default_fields); <c>name</c> is the primary key.</summary>
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
}
