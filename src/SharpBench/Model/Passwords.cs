using SharpBench.Auth;
using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench.Model;

/// <summary>
/// Password fields. The document column only ever holds a mask of <c>*</c>; the secret lives in
/// <c>__Auth</c>, encrypted with the site's <c>encryption_key</c> (Fernet, as Frappe; see Auth/Fernet). The
/// login password (<c>User.new_password</c>) is the exception: it becomes a one-way hash.
/// </summary>
public static class Passwords
{
    public static string Mask(string secret) => new('*', Math.Max(secret.Length, 1));

    public static bool IsMask(string value) => value.Length > 0 && value.All(c => c == '*');

    private static string KeyOf(FrappeContext ctx) =>
        ctx.Site.Config.GetString("encryption_key")
        ?? throw new ValidationError("This site has no encryption_key in site_config.json, so Password fields cannot be stored.");

    public static string Encrypt(FrappeContext ctx, string plain) => Fernet.Encrypt(KeyOf(ctx), plain);

    public static string Decrypt(FrappeContext ctx, string token) =>
        Fernet.Decrypt(KeyOf(ctx), token) ?? throw new ValidationError("Encryption key is invalid! Please check site_config.json");

    /// <summary>Stores a field's secret encrypted (replacing any earlier one).</summary>
    public static async Task SetAsync(FrappeContext ctx, string doctype, string name, string field, string plain, CancellationToken ct = default)
    {
        await AuthTable.ReplaceAsync(await ctx.DbAsync(ct), doctype, name, field, Encrypt(ctx, plain), encrypted: true, ct);
    }

    /// <summary>The decrypted secret of a Password field, or null when none is stored.</summary>
    public static async Task<string?> GetAsync(FrappeContext ctx, string doctype, string name, string field, CancellationToken ct = default)
    {
        var db = await ctx.DbAsync(ct);
        var d = db.Dialect;
        var stored = await db.ScalarAsync(
            $"SELECT {d.Quote("password")} FROM {d.Quote("__Auth")} WHERE {d.Quote("doctype")} = @p0 AND {d.Quote("name")} = @p1 AND {d.Quote("fieldname")} = @p2 AND {d.Quote("encrypted")} = 1",
            [doctype, name, field], ct) as string;
        return stored is null ? null : Decrypt(ctx, stored);
    }

    internal static Task<int> DeleteAsync(Database db, string doctype, string name, string? field, CancellationToken ct)
    {
        var d = db.Dialect;
        var sql = $"DELETE FROM {d.Quote("__Auth")} WHERE {d.Quote("doctype")} = @p0 AND {d.Quote("name")} = @p1";
        return field is null
            ? db.ExecuteAsync(sql, [doctype, name], ct)
            : db.ExecuteAsync(sql + $" AND {d.Quote("fieldname")} = @p2", [doctype, name, field], ct);
    }

    internal static Task<int> RenameAsync(Database db, string doctype, string oldName, string newName, CancellationToken ct)
    {
        var d = db.Dialect;
        return db.ExecuteAsync(
            $"UPDATE {d.Quote("__Auth")} SET {d.Quote("name")} = @p0 WHERE {d.Quote("doctype")} = @p1 AND {d.Quote("name")} = @p2",
            [newName, doctype, oldName], ct);
    }

    /// <summary>Writes the secrets a document collected, after its row was written.</summary>
    internal static async Task FlushAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        foreach (var (field, plain) in doc.PendingPasswords)
        {
            if (doc.DocType == "User" && field == "new_password")
            {
                var db = await ctx.DbAsync(ct);
                await UserPasswords.SetPasswordAsync(db, doc.Name!, plain, ct);
                continue;
            }
            await SetAsync(ctx, doc.DocType, doc.Name!, field, plain, ct);
        }
        doc.PendingPasswords.Clear();
    }
}
