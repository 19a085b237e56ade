using SharpBench.Auth;
using SharpBench.Model;

namespace SharpBench.Jobs;

/// <summary>Who may see and manage a site's jobs: Administrator and System Managers, as in Frappe.</summary>
public static class JobPermissions
{
    public const string Role = "System Manager";

    public static async Task<bool> IsSystemManagerAsync(FrappeContext context, CancellationToken ct = default) =>
        context.IsAdministrator || (await Permissions.RolesAsync(context, null, ct)).Contains(Role);

    public static async Task CheckAsync(FrappeContext context, CancellationToken ct = default)
    {
        if (!await IsSystemManagerAsync(context, ct))
            throw new PermissionError("Only a System Manager can manage background jobs.", "Not permitted");
    }
}
