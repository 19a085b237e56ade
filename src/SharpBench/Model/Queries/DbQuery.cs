using System.Text;
using System.Text.RegularExpressions;
using SharpBench.Auth;
using SharpBench.Data;

namespace SharpBench.Model.Queries;

/// <summary>
/// Frappe's list engine (<c>frappe.get_list</c> / <c>DatabaseQuery</c>): the query behind
/// <c>GET /api/resource/X</c>, <c>frappe.client.get_list</c>, <c>get_count</c> and
/// <c>get_value</c>. Fields, filters, order and group are parsed and resolved against meta;
/// permissions (role rights, <c>if_owner</c>, child tables through their parent) are applied
/// here, so every caller gets the same rules. The same SQL runs on MariaDB, PostgreSQL and SQLite.
/// </summary>
public static class DbQuery
{
    private sealed record SelectItem(string Sql, string Key, ColumnKind? Kind, bool Aggregate);

    public static async Task<ListResult> GetListAsync(FrappeContext ctx, ListQuery q, CancellationToken ct = default)
    {
        var (scope, where) = await PrepareAsync(ctx, q, ct);
        var items = await SelectItemsAsync(scope, q.Fields, ct);
        var sql = new StringBuilder("SELECT ");
        if (q.Distinct)
            sql.Append("DISTINCT ");
        // Positional aliases keep duplicate keys apart; the keys are applied to the result.
        sql.Append(string.Join(", ", items.Select((i, n) => $"{i.Sql} AS {scope.D.Quote("c" + n.ToString(System.Globalization.CultureInfo.InvariantCulture))}")));
        var group = await GroupByAsync(scope, q.GroupBy, ct);
        var order = await OrderByAsync(scope, q.OrderBy, items, ct);
        if (order.Count == 0 && group.Count == 0 && !items.Any(i => i.Aggregate))
            order = DefaultOrder(scope, items, q.Distinct);
        // An aggregate sort over plain rows folds them into one on MariaDB and SQLite and fails on PostgreSQL.
        if (group.Count == 0 && items.Any(i => !i.Aggregate) && order.Any(IsAggregate))
            throw new DataError("Cannot use an aggregate function in order_by without group_by");
        sql.Append(" FROM ").Append(scope.MainTable);
        foreach (var j in scope.Joins)
            sql.Append(' ').Append(j);
        if (where.Length > 0)
            sql.Append(" WHERE ").Append(where);
        if (group.Count > 0)
            sql.Append(" GROUP BY ").Append(string.Join(", ", group));
        if (order.Count > 0)
            sql.Append(" ORDER BY ").Append(string.Join(", ", order));
        sql.Append(Limit(scope.D.Kind, q.LimitStart, q.LimitPageLength));

        var db = await ctx.DbAsync(ct);
        if (q.Debug)
            await DebugLog.AddAsync(ctx, sql.ToString(), scope.Args, ct);
        var rows = await RunAsync(ctx, () => db.QueryValuesAsync(sql.ToString(), scope.Args, ct), ct);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Length != items.Count)
                Array.Resize(ref row, items.Count);
            for (var i = 0; i < row.Length; i++)
                row[i] = FieldValue.FromDb(items[i].Kind, row[i]);
            rows[r] = row;
        }
        return new ListResult(items.Select(i => i.Key).ToList(), rows);
    }

    /// <summary>Number of rows the filters match, under the same permission rules as the list.</summary>
    public static async Task<long> GetCountAsync(FrappeContext ctx, ListQuery q, CancellationToken ct = default)
    {
        var (scope, where) = await PrepareAsync(ctx, q, ct);
        var count = scope.HasJoins || q.Distinct ? $"COUNT(DISTINCT {scope.MainTable}.{scope.D.Quote("name")})" : "COUNT(*)";
        var sql = new StringBuilder($"SELECT {count} FROM {scope.MainTable}");
        foreach (var j in scope.Joins)
            sql.Append(' ').Append(j);
        if (where.Length > 0)
            sql.Append(" WHERE ").Append(where);
        var db = await ctx.DbAsync(ct);
        if (q.Debug)
            await DebugLog.AddAsync(ctx, sql.ToString(), scope.Args, ct);
        return Convert.ToInt64(await RunAsync(ctx, () => db.ScalarAsync(sql.ToString(), scope.Args, ct), ct) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Runs the built statement. Every part of it was checked against meta, so a refusal by the
    /// database (PostgreSQL's grouping rules, say) is about how the client combined the parts: a
    /// 417, without the database's words outside developer mode.
    /// </summary>
    private static async Task<T> RunAsync<T>(FrappeContext ctx, Func<Task<T>> run, CancellationToken ct)
    {
        try
        {
            return await run();
        }
        catch (System.Data.Common.DbException e) when (!ct.IsCancellationRequested && StatementErrors.IsRefusedStatement(e))
        {
            throw StatementErrors.AsDataError(e, ctx.Site.Config.GetBool("developer_mode"));
        }
    }

    private static async Task<(QueryScope Scope, string Where)> PrepareAsync(FrappeContext ctx, ListQuery q, CancellationToken ct)
    {
        var meta = await Meta.GetAsync(ctx, q.DocType, ct);
        if (meta.Single)
            throw new DataError($"{meta.Name} is a Single DocType: it has no list (read it with get_single_value)");
        if (meta.IsVirtual == 1)
            throw new DataError($"{meta.Name} is a virtual DocType: its list comes from its provider");
        if (q.LimitStart < 0 || q.LimitPageLength < 0)
            throw new DataError("limit_start and limit_page_length must not be negative");
        var db = await ctx.DbAsync(ct);
        var scope = new QueryScope(ctx, db, meta, enforce: !q.IgnorePermissions);
        var where = new List<string>();

        if (!q.IgnorePermissions)
        {
            where.AddRange(await PermissionConditionsAsync(scope, q.Parent, ct));
            await scope.InitAsync(q.Parent, ct);
        }
        else if (meta.IsChild && !string.IsNullOrEmpty(q.Parent))
            where.Add($"{scope.MainTable}.{scope.D.Quote("parenttype")} = {scope.Param(q.Parent)}");

        foreach (var c in Filters.Parse(q.Filters, "filters"))
            where.Add(await Filters.CompileAsync(scope, c, ct));
        var or = new List<string>();
        foreach (var c in Filters.Parse(q.OrFilters, "or_filters"))
            or.Add(await Filters.CompileAsync(scope, c, ct));
        if (or.Count > 0)
            where.Add("(" + string.Join(" OR ", or) + ")");
        return (scope, string.Join(" AND ", where));
    }

    private static async Task<List<string>> PermissionConditionsAsync(QueryScope scope, string? parent, CancellationToken ct)
    {
        var ctx = scope.Context;
        var meta = scope.Main;
        var d = scope.D;
        var conditions = new List<string>();
        if (meta.IsChild)
        {
            if (string.IsNullOrEmpty(parent))
                throw new PermissionError($"Please specify a valid parent DocType for {meta.Name}");
            var access = await Permissions.AccessAsync(ctx, meta, "read", parent, ct);
            if (access == Access.None)
                throw new PermissionError($"No permission for {parent}");
            var parentMeta = await Meta.GetAsync(ctx, parent, ct);
            conditions.Add($"{scope.MainTable}.{d.Quote("parenttype")} = {scope.Param(parentMeta.Name)}");
            if (access == Access.OwnerOnly)
                conditions.Add($"{scope.MainTable}.{d.Quote("parent")} IN (SELECT o.{d.Quote("name")} FROM {d.Quote(parentMeta.TableName)} o WHERE o.{d.Quote("owner")} = {scope.Param(ctx.User)})");
            return conditions;
        }
        var own = await Permissions.AccessAsync(ctx, meta, "read", null, ct);
        if (own == Access.None)
            throw new PermissionError($"No permission for {meta.Name}");
        if (own == Access.OwnerOnly)
            conditions.Add($"{scope.MainTable}.{d.Quote("owner")} = {scope.Param(ctx.User)}");
        return conditions;
    }

    private static async Task<List<SelectItem>> SelectItemsAsync(QueryScope scope, IReadOnlyList<string>? fields, CancellationToken ct)
    {
        var items = new List<SelectItem>();
        if (fields is null || fields.Count == 0)
            fields = ["name"];
        ListLimits.CheckCount(fields.Count, "fields", ListLimits.MaxFields, "entries");
        foreach (var raw in fields)
        {
            if (raw is null)
                throw new DataError("fields must be a list of field names");
            ListLimits.CheckText(raw, "fields", ListLimits.MaxFieldLength);
            var field = raw.Trim();
            var m = SqlText.ReadField(field);
            var alias = m.Alias is { } written ? SqlText.Unquote(written) : null;
            if (m.Star2 is not null)
            {
                if (alias is not null)
                    throw new DataError($"Field not permitted in query: {field}");
                items.AddRange(AllColumns(scope.Main).Select(c => scope.MainColumn(c)).Where(c => !c.Hidden).Select(c => new SelectItem(c.Sql, c.Key, c.Kind, false)));
                continue;
            }
            if (m.Fn is { } function)
            {
                var fn = function.ToUpperInvariant();
                var distinct = m.Distinct is not null ? "DISTINCT " : "";
                string arg;
                ColumnKind? argKind = null;
                if (m.Star is not null)
                {
                    if (fn != "COUNT")
                        throw new DataError($"Field not permitted in query: {field}");
                    arg = "*";
                }
                else
                {
                    var col = await ResolveMatchAsync(scope, m, ct);
                    // As Frappe does, a field the user may not read is dropped from the select.
                    if (col.Hidden)
                        continue;
                    arg = col.Sql;
                    argKind = col.Kind;
                }
                var kind = fn switch
                {
                    "COUNT" => ColumnKind.BigInt,
                    "SUM" or "AVG" => ColumnKind.Decimal,
                    _ => argKind,
                };
                var key = alias ?? Regex.Replace(field, @"\s+", " ");
                items.Add(new SelectItem($"{fn}({distinct}{arg})", key, kind, true));
                continue;
            }
            var c = await ResolveMatchAsync(scope, m, ct);
            if (c.Hidden)
                continue;
            items.Add(new SelectItem(c.Sql, alias ?? c.Key, c.Kind, false));
        }
        // Frappe would go on with what is left; with nothing left there is nothing to answer.
        if (items.Count == 0)
            throw new PermissionError($"You do not have permission to access the fields requested from {scope.Main.Name}");
        return items;
    }

    private static Task<ColumnRef> ResolveMatchAsync(QueryScope scope, ClauseParts m, CancellationToken ct)
    {
        if (m.Table is { } table)
            return scope.ResolveAsync(SqlText.Unquote(table), null, SqlText.Unquote(m.Col!), false, ct);
        if (m.Prefix is { } prefix)
        {
            // `tabToDo.name` without quotes reads as a prefix; treat a tab-prefixed DocType as a table.
            if (prefix.StartsWith("tab", StringComparison.Ordinal) && scope.Main.Field(prefix) is null)
                return scope.ResolveAsync(prefix, null, m.PCol!, false, ct);
            return scope.ResolveAsync(null, prefix, m.PCol!, false, ct);
        }
        return scope.ResolveAsync(null, null, SqlText.Unquote(m.Plain!), false, ct);
    }

    /// <summary><c>*</c>: every column of the table, in table order.</summary>
    public static IEnumerable<string> AllColumns(DocTypeMeta meta)
    {
        foreach (var s in DocTypeMeta.StandardFields)
            yield return s;
        if (meta.IsChild)
            foreach (var c in DocTypeMeta.ChildFields)
                yield return c;
        foreach (var f in meta.DataFields)
            yield return f.FieldName;
        if (!meta.IsChild)
            foreach (var m in DocTypeMeta.MetaFields)
                yield return m;
    }

    private static async Task<List<string>> OrderByAsync(QueryScope scope, string? text, List<SelectItem> items, CancellationToken ct) =>
        await ClauseAsync(scope, text, items, "order by", ct);

    private static async Task<List<string>> GroupByAsync(QueryScope scope, string? text, CancellationToken ct) =>
        await ClauseAsync(scope, text, null, "group by", ct);

    /// <summary>
    /// Parses <c>order_by</c>/<c>group_by</c> into column [direction] pairs, each column resolved
    /// against meta (or a select alias): the text itself never reaches SQL.
    /// </summary>
    private static async Task<List<string>> ClauseAsync(QueryScope scope, string? text, List<SelectItem>? items, string what, CancellationToken ct)
    {
        var result = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
            return result;
        foreach (var read in SqlText.ReadClause(text, what))
        {
            // A part the grammar refuses fails where the loop reaches it, as when each part was read in turn.
            var m = read ?? throw new DataError("Illegal SQL Query");
            var dir = m.Dir is { } direction ? " " + direction.ToUpperInvariant() : "";
            if (items is null && dir.Length > 0)
                throw new DataError("Illegal SQL Query");
            string expr;
            if (m.Fn is { } function)
            {
                if (items is null)
                    throw new DataError("Cannot use an aggregate function in group_by");
                var fn = function.ToUpperInvariant();
                var distinct = m.Distinct is not null ? "DISTINCT " : "";
                expr = m.Star is not null ? (fn == "COUNT" ? "COUNT(*)" : throw new DataError("Illegal SQL Query"))
                    : $"{fn}({distinct}{QueryScope.Readable(await ResolveClauseColumnAsync(scope, m, what, ct)).Sql})";
            }
            else if (m.Plain is { } plain && items is not null
                && items.FirstOrDefault(i => i.Key == SqlText.Unquote(plain) && (i.Aggregate || !QueryScope.IsColumn(scope.Main, i.Key))) is { } aliased)
            {
                expr = scope.D.Quote("c" + items.IndexOf(aliased).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                expr = QueryScope.Readable(await ResolveClauseColumnAsync(scope, m, what, ct)).Sql;
            }
            result.Add(expr + dir);
        }
        return result;
    }

    private static async Task<ColumnRef> ResolveClauseColumnAsync(QueryScope scope, ClauseParts m, string what, CancellationToken ct)
    {
        var table = m.Table is { } written ? SqlText.Unquote(written)
            : m.Prefix is { } prefix && prefix.StartsWith("tab", StringComparison.Ordinal) && scope.Main.Field(prefix) is null ? prefix
            : null;
        if (table is not null)
        {
            var docType = table[3..];
            if (!scope.IsPartOfQuery(docType))
                throw new DataError($"Please select atleast 1 column from {docType} to sort/group");
            var col = SqlText.Unquote(m.Table is not null ? m.Col! : m.PCol!);
            var alias = scope.AliasOf(docType)!;
            var meta = scope.MetaOfAlias(alias)!;
            if (!QueryScope.IsColumn(meta, col))
                throw new DataError($"Field not permitted in query: {col}");
            return new ColumnRef($"{alias}.{scope.D.Quote(col)}", FieldValue.KindOf(meta, col), meta, col, col, scope.IsHidden(alias, col));
        }
        return await ResolveMatchAsync(scope, m, ct);
    }

    private static bool IsAggregate(string orderItem) =>
        SqlText.Aggregates.Any(a => orderItem.StartsWith(a.ToUpperInvariant() + "(", StringComparison.Ordinal));

    private static List<string> DefaultOrder(QueryScope scope, List<SelectItem> items, bool distinct)
    {
        var meta = scope.Main;
        var field = string.IsNullOrWhiteSpace(meta.SortField) ? "modified" : meta.SortField.Trim();
        if (!QueryScope.IsColumn(meta, field))
            field = "modified";
        var dir = string.Equals(meta.SortOrder?.Trim(), "ASC", StringComparison.OrdinalIgnoreCase) ? "ASC" : "DESC";
        var col = scope.MainColumn(field);
        // Sorting by a field the user may not read would reveal its order.
        if (col.Hidden)
            col = scope.MainColumn("modified");
        // PostgreSQL refuses ORDER BY on a column missing from a DISTINCT select list.
        if (distinct && !items.Any(i => i.Sql == col.Sql))
            return [];
        return [$"{col.Sql} {dir}"];
    }

    private static string Limit(DbKind kind, int start, int length)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (length > 0)
            return $" LIMIT {length.ToString(inv)} OFFSET {start.ToString(inv)}";
        if (start <= 0)
            return "";
        return kind switch
        {
            DbKind.MariaDb => $" LIMIT 18446744073709551615 OFFSET {start.ToString(inv)}",
            DbKind.Sqlite => $" LIMIT -1 OFFSET {start.ToString(inv)}",
            _ => $" OFFSET {start.ToString(inv)}",
        };
    }
}
