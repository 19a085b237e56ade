using SharpBench.Auth;

namespace SharpBench.Model.Queries;

/// <summary>
/// The SQL a unit of work ran with <c>debug</c> set, returned as <c>_debug_messages</c>. Frappe
/// shows it to any caller; we show it to System Managers only, since the statement reveals the
/// permission conditions applied to the query (docs/compatibility.md).
/// </summary>
public static class DebugLog
{
    private const string Key = "debug.log";

    public static async Task AddAsync(FrappeContext ctx, string sql, IReadOnlyList<object?> args, CancellationToken ct)
    {
        if (!ctx.IsAdministrator && !(await Permissions.RolesAsync(ctx, null, ct)).Contains("System Manager"))
            return;
        if (Of(ctx) is not { } log)
            ctx.Items[Key] = log = [];
        var values = string.Join(", ", args.Select(a => a switch
        {
            null => "NULL",
            string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
            _ => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture),
        }));
        log.Add(args.Count == 0 ? sql : $"{sql} -- with {values}");
    }

    public static List<string>? Of(FrappeContext ctx) => ctx.Items.GetValueOrDefault(Key) as List<string>;
}
