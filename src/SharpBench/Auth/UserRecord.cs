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

/// <summary>The roles a user acts with (reference 6.5): Guest has only Guest; a logged-in user also has All and Guest, a System User Desk User.</summary>
public static class UserRoles
{
    private const string CacheKey = "auth.roles";

    public static async Task<IReadOnlyList<string>> GetAsync(FrappeContext context, CancellationToken ct = default)
    {
        if (context.Items.TryGetValue(CacheKey, out var cached) && cached is IReadOnlyList<string> roles && context.Items.GetValueOrDefault(CacheKey + ".user") as string == context.User)
            return roles;
        roles = await LoadAsync(await context.DbAsync(ct), context.User, ct);
        context.Items[CacheKey] = roles;
        context.Items[CacheKey + ".user"] = context.User;
        return roles;
    }

    public static async Task<IReadOnlyList<string>> LoadAsync(Database db, string user, CancellationToken ct = default)
    {
        if (user == "Guest")
            return ["Guest"];
        var d = db.Dialect;
        var rows = await db.QueryAsync(
            $"SELECT {d.Quote("role")} FROM {d.Quote("tabHas Role")} WHERE {d.Quote("parent")} = @p0 AND {d.Quote("parenttype")} = @p1",
            [user, "User"], ct);
        var roles = new List<string>();
        foreach (var r in rows)
            if (r["role"] is string role && !roles.Contains(role))
                roles.Add(role);
        foreach (var implied in new[] { "All", "Guest" })
            if (!roles.Contains(implied))
                roles.Add(implied);
        var type = await db.ScalarAsync($"SELECT {d.Quote("user_type")} FROM {d.Quote("tabUser")} WHERE {d.Quote("name")} = @p0", [user], ct) as string;
        if (type == "System User" && !roles.Contains("Desk User"))
            roles.Add("Desk User");
        return roles;
    }
}
