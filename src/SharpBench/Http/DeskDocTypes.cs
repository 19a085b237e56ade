using SharpBench.Apps;
using SharpBench.Auth;
using SharpBench.Sites;

namespace SharpBench.Http;

/// <summary>The DocTypes a user may read, for the <c>/app</c> page.</summary>
public static class DeskDocTypes
{
    public static async Task<IReadOnlyList<string>> ReadableAsync(FrappeContext context, Bench bench, CancellationToken ct)
    {
        var roles = await UserRoles.GetAsync(context, ct);
        return AppRegistry.ForBench(bench)
            .SelectMany(a => a.DocTypes())
            .Where(m => !m.IsChild)
            .Where(m => context.IsAdministrator || m.Permissions.Any(p => p.PermLevel == 0 && p.Read == 1 && roles.Contains(p.Role)))
            .Select(m => m.Name)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
