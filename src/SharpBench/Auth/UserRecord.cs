using SharpBench.Data;

namespace SharpBench.Auth;

/// <summary>What authentication needs to know about a row of <c>tabUser</c>.</summary>
public sealed record UserRecord(string Name, string FullName, bool Enabled, string UserType, string? UserImage)
{
    public bool IsSystemUser => UserType == "System User";

    public static async Task<UserRecord?> LoadAsync(Database db, string name, CancellationToken ct = default)
    {
        var d = db.Dialect;
        var rows = await db.QueryAsync(
            $"SELECT {d.Quote("name")}, {d.Quote("full_name")}, {d.Quote("first_name")}, {d.Quote("enabled")}, {d.Quote("user_type")}, {d.Quote("user_image")} FROM {d.Quote("tabUser")} WHERE {d.Quote("name")} = @p0",
            [name], ct);
        return rows.Count == 0 ? null : FromRow(rows[0]);
    }

    /// <summary>Finds the user a login name means: the user's name or e-mail, compared case-insensitively.</summary>
    public static async Task<UserRecord?> FindForLoginAsync(Database db, string login, CancellationToken ct = default)
    {
        var exact = await LoadAsync(db, login, ct);
        if (exact is not null)
            return exact;
        var d = db.Dialect;
        var rows = await db.QueryAsync(
            $"SELECT {d.Quote("name")}, {d.Quote("full_name")}, {d.Quote("first_name")}, {d.Quote("enabled")}, {d.Quote("user_type")}, {d.Quote("user_image")} FROM {d.Quote("tabUser")} WHERE lower({d.Quote("name")}) = @p0 OR lower({d.Quote("email")}) = @p0",
            [login.Trim().ToLowerInvariant()], ct);
        return rows.Count == 0 ? null : FromRow(rows[0]);
    }

    private static UserRecord FromRow(Dictionary<string, object?> r)
    {
        var name = (string)r["name"]!;
        var full = r["full_name"] as string;
        if (string.IsNullOrWhiteSpace(full))
            full = r["first_name"] as string;
        return new UserRecord(
            name,
            string.IsNullOrWhiteSpace(full) ? name : full,
            Convert.ToInt64(r["enabled"] ?? 0, System.Globalization.CultureInfo.InvariantCulture) != 0,
            r["user_type"] as string ?? "System User",
            string.IsNullOrEmpty(r["user_image"] as string) ? null : (string)r["user_image"]!);
    }
}
