using Microsoft.AspNetCore.Identity;
using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>Users' login passwords: one-way hashes in <c>__Auth</c>, as Frappe's <c>frappe.utils.password</c> keeps them.</summary>
public static class UserPasswords
{
    private static readonly PasswordHasher<string> Hasher = new();

    /// <summary>Stores a login password as a one-way hash in <c>__Auth</c>, as Frappe does.</summary>
    public static async Task SetPasswordAsync(Database db, string user, string password, CancellationToken ct = default)
    {
        await AuthTable.ReplaceAsync(db, "User", user, "password", Hasher.HashPassword(user, password), encrypted: false, ct);
    }

    public static async Task<bool> CheckPasswordAsync(Database db, string user, string password, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var hash = await db.ScalarAsync(
            $"SELECT {d.Quote("password")} FROM {d.Quote("__Auth")} WHERE {d.Quote("doctype")} = @p0 AND {d.Quote("name")} = @p1 AND {d.Quote("fieldname")} = @p2",
            ["User", user, "password"], ct) as string;
        return hash is not null && Hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed;
    }
}
