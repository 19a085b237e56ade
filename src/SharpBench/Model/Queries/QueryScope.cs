using System.Globalization;
using SharpBench.Auth;
using SharpBench.Data;

namespace SharpBench.Model.Queries;

/// <summary>A column a query may use, resolved against meta: its SQL, its storage and where it lives.</summary>
internal sealed record ColumnRef(string Sql, ColumnKind? Kind, DocTypeMeta Meta, string Field, string Key);

/// <summary>
/// The tables of one list query (the DocType, child tables and linked DocTypes joined on demand)
/// and its parameters. Every identifier that reaches SQL is resolved here against meta, so no
/// client text is ever spliced into a query.
/// </summary>
internal sealed class QueryScope(FrappeContext ctx, Database db, DocTypeMeta main)
{
    private readonly Dictionary<string, string> _joins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DocTypeMeta> _joinMetas = new(StringComparer.Ordinal);

    public FrappeContext Context { get; } = ctx;
    public SqlDialect D { get; } = db.Dialect;
    public DocTypeMeta Main { get; } = main;
    public List<object?> Args { get; } = [];
    public string MainTable => D.Quote(Main.TableName);
    public IEnumerable<string> Joins => _joins.Values;
    public bool HasJoins => _joins.Count > 0;

    /// <summary>The DocTypes joined so far, by the table name a client may write (<c>tabX</c>).</summary>
    public bool IsPartOfQuery(string docType) => docType == Main.Name || _joinMetas.Values.Any(m => m.Name == docType);

    public string Param(object? value)
    {
        Args.Add(value);
        return "@p" + (Args.Count - 1).ToString(CultureInfo.InvariantCulture);
    }

    public static bool IsColumn(DocTypeMeta meta, string field) =>
        DocTypeMeta.StandardFields.Contains(field)
        || (meta.IsChild ? DocTypeMeta.ChildFields.Contains(field) : DocTypeMeta.MetaFields.Contains(field))
        || meta.Field(field)?.Storage is not null;

    private static ColumnRef Column(string alias, DocTypeMeta meta, string field, string key, SqlDialect d) =>
        new($"{alias}.{d.Quote(field)}", FieldValue.KindOf(meta, field), meta, field, key);

    public ColumnRef MainColumn(string field, string? key = null)
    {
        if (!IsColumn(Main, field))
            throw new DataError($"Field not permitted in query: {field}");
        return Column(MainTable, Main, field, key ?? field, D);
    }

    /// <summary>
    /// Resolves a reference: <c>field</c>, <c>tabX.field</c> (X the DocType or one of its child
    /// tables), <c>table_field.child_field</c> or <c>link_field.target_field</c>.
    /// <paramref name="retarget"/> lets a plain field missing on the DocType match a child table
    /// field, as Frappe does for filters.
    /// </summary>
    public async Task<ColumnRef> ResolveAsync(string? table, string? prefix, string field, bool retarget, CancellationToken ct)
    {
        if (table is not null)
        {
            if (!table.StartsWith("tab", StringComparison.Ordinal))
                throw new DataError($"Field not permitted in query: {table}.{field}");
            return await ResolveInDocTypeAsync(table[3..], field, ct);
        }
        if (prefix is not null)
        {
            var f = Main.Field(prefix);
            if (f is not null && f.IsTable && !string.IsNullOrEmpty(f.Options))
            {
                var (alias, meta) = await ChildJoinAsync(f, ct);
                if (!IsColumn(meta, field))
                    throw new DataError($"Field not permitted in query: {prefix}.{field}");
                return Column(alias, meta, field, $"{prefix}.{field}", D);
            }
            if (f is not null && f.FieldType == "Link" && !string.IsNullOrEmpty(f.Options))
            {
                var (alias, meta) = await LinkJoinAsync(f, ct);
                if (!IsColumn(meta, field))
                    throw new DataError($"Field not permitted in query: {prefix}.{field}");
                return Column(alias, meta, field, $"{prefix}.{field}", D);
            }
            throw new DataError($"Field not permitted in query: {prefix}.{field}");
        }
        if (IsColumn(Main, field))
            return Column(MainTable, Main, field, field, D);
        if (retarget)
        {
            foreach (var tf in Main.Fields.Where(f => f.IsTable && !string.IsNullOrEmpty(f.Options)))
            {
                var child = await Meta.FindAsync(Context, tf.Options!, ct);
                if (child is not null && child.Field(field)?.Storage is not null)
                {
                    var (alias, meta) = await ChildJoinAsync(tf, ct);
                    return Column(alias, meta, field, field, D);
                }
            }
        }
        throw new DataError($"Field not permitted in query: {field}");
    }

    /// <summary>A field of the DocType itself or of one of its child tables, named by DocType.</summary>
    public async Task<ColumnRef> ResolveInDocTypeAsync(string docType, string field, CancellationToken ct)
    {
        if (docType == Main.Name)
            return MainColumn(field);
        var tf = Main.Fields.FirstOrDefault(f => f.IsTable && f.Options == docType)
            ?? throw new DataError($"Field not permitted in query: {field} (DocType {docType} is not part of this query)");
        var (alias, meta) = await ChildJoinAsync(tf, ct);
        if (!IsColumn(meta, field))
            throw new DataError($"Field not permitted in query: {field}");
        return Column(alias, meta, field, field, D);
    }

    /// <summary>The alias of a DocType already in the query (for <c>tabX.col</c> in order/group by).</summary>
    public string? AliasOf(string docType)
    {
        if (docType == Main.Name)
            return MainTable;
        foreach (var (alias, meta) in _joinMetas)
            if (meta.Name == docType)
                return alias;
        return null;
    }

    public DocTypeMeta? MetaOfAlias(string alias) => alias == MainTable ? Main : _joinMetas.GetValueOrDefault(alias);

    private async Task<(string Alias, DocTypeMeta Meta)> ChildJoinAsync(DocField tf, CancellationToken ct)
    {
        var alias = D.Quote("c_" + tf.FieldName);
        if (_joinMetas.TryGetValue(alias, out var known))
            return (alias, known);
        var meta = await Meta.FindAsync(Context, tf.Options!, ct) ?? throw new DataError($"Child DocType {tf.Options} not found");
        _joins[alias] = $"LEFT JOIN {D.Quote(meta.TableName)} {alias} ON {alias}.{D.Quote("parent")} = {MainTable}.{D.Quote("name")}"
            + $" AND {alias}.{D.Quote("parenttype")} = {Param(Main.Name)} AND {alias}.{D.Quote("parentfield")} = {Param(tf.FieldName)}";
        _joinMetas[alias] = meta;
        return (alias, meta);
    }

    private async Task<(string Alias, DocTypeMeta Meta)> LinkJoinAsync(DocField lf, CancellationToken ct)
    {
        var alias = D.Quote("l_" + lf.FieldName);
        if (_joinMetas.TryGetValue(alias, out var known))
            return (alias, known);
        var meta = await Meta.FindAsync(Context, lf.Options!, ct) ?? throw new DataError($"DocType {lf.Options} not found");
        if (meta.Single || meta.IsVirtual == 1)
            throw new DataError($"Field not permitted in query: {lf.FieldName} links to {meta.Name}, which has no table");
        // A linked DocType's values are only shown to users who may read it.
        if (await Permissions.AccessAsync(Context, meta, "read", null, ct) == Access.None)
            throw new PermissionError($"No permission for {meta.Name}");
        _joins[alias] = $"LEFT JOIN {D.Quote(meta.TableName)} {alias} ON {alias}.{D.Quote("name")} = {MainTable}.{D.Quote(lf.FieldName)}";
        _joinMetas[alias] = meta;
        return (alias, meta);
    }
}
