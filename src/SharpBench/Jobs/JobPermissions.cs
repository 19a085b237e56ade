namespace SharpBench.Jobs;

/// <summary>Who may see and manage a site's jobs: Administrator and System Managers, as in Frappe.</summary>
public static class JobPermissions
{
    public const string Role = "System Manager";

    public static async Task<bool> IsSystemManagerAsync(FrappeContext context, CancellationToken ct = default)
    {
        if (context.IsAdministrator)
            return true;
        if (context.IsGuest)
            return false;
        var db = await context.DbAsync(ct);
        var d = db.Dialect;
        var found = await db.ScalarAsync(
            $"SELECT 1 FROM {d.Quote("tabHas Role")} WHERE {d.Quote("parent")} = @p0 AND {d.Quote("parenttype")} = @p1 AND {d.Quote("role")} = @p2",
            [context.User, "User", Role], ct);
        return found is not null;
    }

    public static async Task CheckAsync(FrappeContext context, CancellationToken ct = default)
    {
        if (!await IsSystemManagerAsync(context, ct))
            throw new PermissionError("Only a System Manager can manage background jobs.", "Not permitted");
    }
}
