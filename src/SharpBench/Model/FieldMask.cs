namespace SharpBench.Model;

/// <summary>
/// Fields left out when a document is shown to a user who may not read them (permlevel): fields
/// of the document itself, and fields of the rows of each of its tables.
/// </summary>
public sealed class FieldMask
{
    public static readonly FieldMask None = new(new HashSet<string>(StringComparer.Ordinal), new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal));

    public FieldMask(IReadOnlySet<string> hidden, IReadOnlyDictionary<string, IReadOnlySet<string>> hiddenInTables)
    {
        Hidden = hidden;
        HiddenInTables = hiddenInTables;
    }

    /// <summary>Fields of the document (a hidden Table field hides all its rows).</summary>
    public IReadOnlySet<string> Hidden { get; }

    /// <summary>By Table field: the fields of its rows.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> HiddenInTables { get; }

    public bool IsEmpty => Hidden.Count == 0 && HiddenInTables.Values.All(h => h.Count == 0);

    internal FieldMask? ForRowsOf(string tableField) =>
        HiddenInTables.TryGetValue(tableField, out var h) && h.Count > 0 ? new FieldMask(h, None.HiddenInTables) : null;
}
