using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>
/// Row-level SQL for documents. Table and column names come only from meta (checked names);
/// values are converted to each provider's parameter type by <see cref="FieldValue.ToDb"/>.
/// </summary>
internal static class RowStore
{
    public static async Task InsertAsync(Database db, DocTypeMeta meta, IReadOnlyDictionary<string, object?> values, CancellationToken ct)
    {
        var d = db.Dialect;
        var columns = values.Keys.ToList();
        var args = new List<object?>(columns.Count);
        var placeholders = new List<string>(columns.Count);
        foreach (var c in columns)
        {
            var kind = FieldValue.KindOf(meta, c);
            placeholders.Add(FieldValue.Param(kind, d.Kind, args.Count));
            args.Add(FieldValue.ToDb(kind, values[c], d.Kind));
        }
        var sql = $"INSERT INTO {d.Quote(meta.TableName)} ({string.Join(", ", columns.Select(d.Quote))}) VALUES ({string.Join(", ", placeholders)})";
        await db.ExecuteAsync(sql, args, ct);
    }

    public static async Task<int> UpdateAsync(Database db, DocTypeMeta meta, string name, IReadOnlyDictionary<string, object?> values, CancellationToken ct)
    {
        var d = db.Dialect;
        var sets = new List<string>();
        var args = new List<object?>();
        foreach (var (c, v) in values)
        {
            var kind = FieldValue.KindOf(meta, c);
            sets.Add($"{d.Quote(c)} = {FieldValue.Param(kind, d.Kind, args.Count)}");
            args.Add(FieldValue.ToDb(kind, v, d.Kind));
        }
        args.Add(NameParam(meta, name, d.Kind));
        var sql = $"UPDATE {d.Quote(meta.TableName)} SET {string.Join(", ", sets)} WHERE {d.Quote("name")} = @p{args.Count - 1}";
        return await db.ExecuteAsync(sql, args, ct);
    }

    public static object? NameParam(DocTypeMeta meta, string name, DbKind db) =>
        meta.Autoname == "autoincrement" ? (long.TryParse(name, out var l) ? l : -1L) : FieldValue.ToDb(ColumnKind.Varchar, name, db);

    /// <summary>One row by name with its values converted; null when missing.</summary>
    public static async Task<Dictionary<string, object?>?> GetAsync(Database db, DocTypeMeta meta, string name, bool forUpdate, CancellationToken ct)
    {
        var d = db.Dialect;
        var sql = $"SELECT * FROM {d.Quote(meta.TableName)} WHERE {d.Quote("name")} = @p0";
        if (forUpdate && d.Kind != DbKind.Sqlite)
            sql += " FOR UPDATE";
        var rows = await db.QueryAsync(sql, [NameParam(meta, name, d.Kind)], ct);
        return rows.Count == 0 ? null : Convert(meta, rows[0]);
    }

    public static async Task<List<Dictionary<string, object?>>> ChildrenAsync(Database db, DocTypeMeta childMeta, string parent, string parentType, string parentField, CancellationToken ct)
    {
        var d = db.Dialect;
        var sql = $"SELECT * FROM {d.Quote(childMeta.TableName)} WHERE {d.Quote("parent")} = @p0 AND {d.Quote("parenttype")} = @p1 AND {d.Quote("parentfield")} = @p2 ORDER BY {d.Quote("idx")}";
        var rows = await db.QueryAsync(sql, [parent, parentType, parentField], ct);
        return rows.Select(r => Convert(childMeta, r)).ToList();
    }

    public static Dictionary<string, object?> Convert(DocTypeMeta meta, Dictionary<string, object?> row)
    {
        var result = new Dictionary<string, object?>(row.Count, StringComparer.Ordinal);
        foreach (var (k, v) in row)
        {
            var key = k.ToLowerInvariant();
            var value = FieldValue.FromDb(FieldValue.KindOf(meta, key), v);
            if (key == "name" && value is long l)
                value = l.ToString(System.Globalization.CultureInfo.InvariantCulture);
            result[key] = value;
        }
        return result;
    }

    public static Task<int> DeleteAsync(Database db, DocTypeMeta meta, string name, CancellationToken ct)
    {
        var d = db.Dialect;
        return db.ExecuteAsync($"DELETE FROM {d.Quote(meta.TableName)} WHERE {d.Quote("name")} = @p0", [NameParam(meta, name, d.Kind)], ct);
    }

    public static Task<int> DeleteChildrenAsync(Database db, DocTypeMeta childMeta, string parent, string parentType, string? parentField, CancellationToken ct)
    {
        var d = db.Dialect;
        var sql = $"DELETE FROM {d.Quote(childMeta.TableName)} WHERE {d.Quote("parent")} = @p0 AND {d.Quote("parenttype")} = @p1";
        if (parentField is null)
            return db.ExecuteAsync(sql, [parent, parentType], ct);
        return db.ExecuteAsync(sql + $" AND {d.Quote("parentfield")} = @p2", [parent, parentType, parentField], ct);
    }

    public static async Task<bool> ExistsAsync(Database db, DocTypeMeta meta, string name, CancellationToken ct)
    {
        var d = db.Dialect;
        var found = await db.ScalarAsync($"SELECT 1 FROM {d.Quote(meta.TableName)} WHERE {d.Quote("name")} = @p0", [NameParam(meta, name, d.Kind)], ct);
        return found is not null;
    }

    /// <summary>Whether a DB error is a primary-key or unique-index violation (MariaDB 1062, PostgreSQL 23505, SQLite 1555/2067).</summary>
    public static bool IsUniqueViolation(Exception e) => e switch
    {
        MySqlConnector.MySqlException m => m.ErrorCode == MySqlConnector.MySqlErrorCode.DuplicateKeyEntry,
        Npgsql.PostgresException p => p.SqlState == "23505",
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteExtendedErrorCode is 1555 or 2067,
        _ => false,
    };
}
