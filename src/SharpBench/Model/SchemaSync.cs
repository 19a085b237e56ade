using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>
/// Brings a DocType's table in line with its meta: creates it when missing, and on later runs
/// adds the columns and indexes that are new. It never drops or narrows a column, so a sync can
/// not lose data.
/// </summary>
public static class SchemaSync
{
    public static async Task SyncAsync(Database db, DocTypeMeta meta, CancellationToken ct = default)
    {
        if (!HasTable(meta))
            return;
        var d = db.Dialect;
        var table = meta.TableName;
        var columns = ColumnsOf(meta);
        var existing = await d.ColumnsAsync(db, table, ct);
        if (existing.Count == 0)
        {
            await db.ExecuteAsync(d.CreateTable(table, columns, "name"), [], ct);
        }
        else
        {
            foreach (var column in columns.Where(c => !existing.Contains(c.Name.ToLowerInvariant())))
                await db.ExecuteAsync(d.AddColumn(table, column), [], ct);
        }
        await SyncIndexesAsync(db, meta, ct);
    }

    public static List<ColumnSpec> ColumnsOf(DocTypeMeta meta)
    {
        var columns = new List<ColumnSpec>(ColumnSpec.Standard(meta.Autoname == "autoincrement"));
        if (meta.IsChild)
            columns.AddRange(ColumnSpec.Child);
        columns.AddRange(meta.DataFields.Select(ColumnFor));
        if (!meta.IsChild)
            columns.AddRange(MetaColumns);
        return columns;
    }

    /// <summary>Whether the DocType has a table of its own (Singles live in tabSingles, virtual ones nowhere).</summary>
    internal static bool HasTable(DocTypeMeta meta) => !meta.Single && meta.IsVirtual != 1;

    /// <summary>
    /// What a sync of this DocType makes of its table: its columns and indexes. Migrate stores it
    /// with the definition, so a release that changes how tables are laid out resyncs every one.
    /// </summary>
    internal static string Layout(DocTypeMeta meta) => HasTable(meta)
        ? string.Join('\n', ColumnsOf(meta).Select(c => c.ToString()).Concat(IndexesOf(meta).Select(i => $"index {i.Column} unique={i.Unique}")))
        : "";

    /// <summary>The indexes a DocType's table carries (column, unique).</summary>
    internal static List<(string Column, bool Unique)> IndexesOf(DocTypeMeta meta)
    {
        var wanted = new List<(string Column, bool Unique)>();
        if (meta.IsChild)
        {
            wanted.Add(("parent", false));
        }
        else
        {
            wanted.Add(("modified", false));
            // Frappe (v16) indexes creation on every table: it is the default sort, so a list's
            // ORDER BY creation DESC LIMIT n walks the index instead of sorting the whole table.
            wanted.Add(("creation", false));
        }
        foreach (var f in meta.DataFields)
        {
            // Long text columns cannot carry a plain index in MariaDB; Frappe skips them too.
            if (f.Storage is ColumnKind.Text or ColumnKind.LongText or ColumnKind.Json)
                continue;
            if (f.Unique == 1)
                wanted.Add((f.FieldName, true));
            else if (f.SearchIndex == 1)
                wanted.Add((f.FieldName, false));
        }
        return wanted;
    }

    private static async Task SyncIndexesAsync(Database db, DocTypeMeta meta, CancellationToken ct)
    {
        var d = db.Dialect;
        var table = meta.TableName;
        var wanted = IndexesOf(meta);
        var existing = await d.IndexesAsync(db, table, ct);
        foreach (var (column, unique) in wanted)
        {
            var name = d.IndexName(table, column, unique);
            if (existing.Contains(name))
                continue;
            try
            {
                await db.ExecuteAsync(d.CreateIndex(table, name, [column], unique), [], ct);
            }
            catch (System.Data.Common.DbException e) when (unique)
            {
                throw new BenchException(
                    $"Cannot make {meta.Name}.{column} unique: the table already holds duplicate values ({e.Message}).", e);
            }
        }
    }

    private static IReadOnlyList<ColumnSpec> MetaColumns =>
        DocTypeMeta.MetaFields.Select(f => new ColumnSpec(f, ColumnKind.Text)).ToList();

    /// <summary>The column a data field gets.</summary>
    public static ColumnSpec ColumnFor(DocField field)
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
