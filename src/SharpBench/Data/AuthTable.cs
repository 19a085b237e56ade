namespace SharpBench.Data;

/// <summary>
/// <c>__Auth</c>, Frappe's table of secrets: one row per (DocType, document, field) holding a
/// login password's one-way hash or a Fernet-encrypted secret (API secrets, Password fields).
/// </summary>
public static class AuthTable
{
    /// <summary>Stores the value for that field of that document, replacing any earlier one.</summary>
    public static async Task ReplaceAsync(Database db, string doctype, string name, string field, string value, bool encrypted, CancellationToken ct = default)
    {
        var d = db.Dialect;
        await db.ExecuteAsync(
            $"DELETE FROM {d.Quote("__Auth")} WHERE {d.Quote("doctype")} = @p0 AND {d.Quote("name")} = @p1 AND {d.Quote("fieldname")} = @p2",
            [doctype, name, field], ct);
        await Rows.InsertAsync(db, "__Auth", new Dictionary<string, object?>
        {
            ["doctype"] = doctype,
            ["name"] = name,
            ["fieldname"] = field,
            ["password"] = value,
            ["encrypted"] = encrypted ? 1 : 0,
        }, ct);
    }
}
