using System.Globalization;
using SharpBench.Auth;
using SharpBench.Data;

namespace SharpBench.Model.Queries;

/// <summary>A column a query may use, resolved against meta: its SQL, its storage and where it lives.
/// <c>Hidden</c>: the user may not read it (permlevel), so it may be neither shown nor filtered on.</summary>
internal sealed record ColumnRef(string Sql, ColumnKind? Kind, DocTypeMeta Meta, string Field, string Key, bool Hidden = false);

/// <summary>
/// The tables of one list query (the DocType, child tables and linked DocTypes joined on demand)
/// and its parameters. Every identifier that reaches SQL is resolved here against meta, so no
/// client text is ever spliced into a query. When permissions apply (<paramref name="enforce"/>),
/// a linked DocType is joined with exactly the rows a direct read of it would give (none: 403;
/// <c>if_owner</c>: only the user's own rows), and every column knows whether the user may read it.
/// </summary>
internal sealed class QueryScope(FrappeContext ctx, Database db, DocTypeMeta main, bool enforce)
{
    private readonly Dictionary<string, string> _joins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DocTypeMeta> _joinMetas = new(StringComparer.Ordinal);

    // By table alias: the fields the user may not read; aliases reached through a hidden field hide all.
    private readonly Dictionary<string, IReadOnlySet<string>> _hidden = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hiddenWhole = new(StringComparer.Ordinal);

    public FrappeContext Context { get; } = ctx;
    public SqlDialect D { get; } = db.Dialect;
    public DocTypeMeta Main { get; } = main;
    public List<object?> Args { get; } = [];
    public string MainTable => D.Quote(Main.TableName);
    public IEnumerable<string> Joins => _joins.Values;
    public bool HasJoins => _joins.Count > 0;
    public bool Enforce { get; } = enforce;

    /// <summary>Learns which fields of the DocType itself the user may not read (a child table through <paramref name="parent"/>).</summary>
    public async Task InitAsync(string? parent, CancellationToken ct)
    {
        if (Enforce)
            _hidden[MainTable] = await FieldPermissions.DeniedAsync(Context, Main, "read", Main.IsChild ? parent : null, ct);
    }

    public bool IsHidden(string alias, string field) =>
        _hiddenWhole.Contains(alias) || (_hidden.TryGetValue(alias, out var h) && h.Contains(field));

    /// <summary>Refuses a column the user may not read where it would steer the query (filters, order, group).</summary>
    public static ColumnRef Readable(ColumnRef col) =>
        col.Hidden ? throw new PermissionError($"You do not have permission to access field {col.Meta.Name}.{col.Field}") : col;

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

    private ColumnRef Column(string alias, DocTypeMeta meta, string field, string key) =>
        new($"{alias}.{D.Quote(field)}", FieldValue.KindOf(meta, field), meta, field, key, IsHidden(alias, field));

    public ColumnRef MainColumn(string field, string? key = null)
    {
        if (!IsColumn(Main, field))
            throw new DataError($"Field not permitted in query: {field}");
        return Column(MainTable, Main, field, key ?? field);
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
                return Column(alias, meta, field, $"{prefix}.{field}");
            }
            if (f is not null && f.FieldType == "Link" && !string.IsNullOrEmpty(f.Options))
            {
                var (alias, meta) = await LinkJoinAsync(f, ct);
                if (!IsColumn(meta, field))
                    throw new DataError($"Field not permitted in query: {prefix}.{field}");
                return Column(alias, meta, field, $"{prefix}.{field}");
            }
            throw new DataError($"Field not permitted in query: {prefix}.{field}");
        }
        if (IsColumn(Main, field))
            return Column(MainTable, Main, field, field);
        if (retarget)
        {
            foreach (var tf in Main.Fields.Where(f => f.IsTable && !string.IsNullOrEmpty(f.Options)))
            {
                var child = await Meta.FindAsync(Context, tf.Options!, ct);
                if (child is not null && child.Field(field)?.Storage is not null)
                {
                    var (alias, meta) = await ChildJoinAsync(tf, ct);
                    return Column(alias, meta, field, field);
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
        return Column(alias, meta, field, field);
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
        if (Enforce)
        {
            // A child table's fields follow the parent's permlevels; a hidden table hides its rows.
            _hidden[alias] = await FieldPermissions.DeniedAsync(Context, meta, "read", Main.Name, ct);
            if (IsHidden(MainTable, tf.FieldName))
                _hiddenWhole.Add(alias);
        }
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
        var on = $"{alias}.{D.Quote("name")} = {MainTable}.{D.Quote(lf.FieldName)}";
        if (Enforce)
        {
            // A linked DocType shows exactly what reading it directly would: nothing without read
            // permission, only the user's own rows under if_owner (other rows join as NULLs, so a
            // filter on them matches nothing), and none of the fields above the user's permlevels.
            var access = await Permissions.AccessAsync(Context, meta, "read", null, ct);
            if (access == Access.None)
                throw new PermissionError($"No permission for {meta.Name}");
            if (access == Access.OwnerOnly)
                on += $" AND {alias}.{D.Quote("owner")} = {Param(Context.User)}";
            _hidden[alias] = await FieldPermissions.DeniedAsync(Context, meta, "read", null, ct);
            if (IsHidden(MainTable, lf.FieldName))
                _hiddenWhole.Add(alias);
        }
        _joins[alias] = $"LEFT JOIN {D.Quote(meta.TableName)} {alias} ON {on}";
        _joinMetas[alias] = meta;
        return (alias, meta);
    }
}
