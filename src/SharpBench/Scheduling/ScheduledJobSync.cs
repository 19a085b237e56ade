using System.Security.Cryptography;
using System.Text;
using SharpBench.Apps;
using SharpBench.Data;

namespace SharpBench.Scheduling;

/// <summary>One scheduler event an app declares, after its hook key was mapped to a frequency.</summary>
public sealed record ScheduledEventDeclaration(string App, string Method, string Frequency, string? CronFormat);

/// <summary>What a sync did on one site; <see cref="Errors"/> name the app and the bad declaration.</summary>
public sealed record ScheduledJobSyncResult(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Kept, IReadOnlyList<string> Errors);

/// <summary>
/// Turns the apps' scheduler events into Scheduled Job Type rows (on migrate and new-site):
/// adds new ones, removes the ones no app declares any more, and leaves the rest alone so their
/// <c>stopped</c> and <c>last_execution</c> survive. A bad declaration is reported and skipped;
/// the app's other events still sync.
/// </summary>
public static class ScheduledJobSync
{
    public static (List<ScheduledEventDeclaration> Valid, List<string> Errors) Collect(IEnumerable<App> apps)
    {
        var valid = new List<ScheduledEventDeclaration>();
        var errors = new List<string>();
        foreach (var app in apps)
        {
            var events = app.SchedulerEvents;
            foreach (var (key, methods) in events.Frequencies)
            {
                var frequency = ScheduledFrequency.FromHookKey(key);
                if (frequency is null)
                {
                    errors.Add($"App {app.Name} declares scheduler events under an unknown frequency '{key}' (use all, hourly, hourly_long, daily, daily_long, weekly, weekly_long, monthly, monthly_long, yearly or cron).");
                    continue;
                }
                foreach (var method in methods)
                    AddChecked(app, method, frequency, null, valid, errors);
            }
            foreach (var (expression, methods) in events.Cron)
            {
                try
                {
                    DueTime.ParseCron(expression);
                }
                catch (FormatException e)
                {
                    errors.Add($"App {app.Name} declares an invalid cron expression '{expression}' for {string.Join(", ", methods)}: {e.InnerException?.Message ?? e.Message}");
                    continue;
                }
                foreach (var method in methods)
                    AddChecked(app, method, ScheduledFrequency.Cron, expression.Trim(), valid, errors);
            }
        }
        return (valid.DistinctBy(d => (d.Method, d.Frequency, d.CronFormat)).ToList(), errors);
    }

    private static void AddChecked(App app, string method, string frequency, string? cron, List<ScheduledEventDeclaration> valid, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(method) || method.Length > 140)
            errors.Add($"App {app.Name} declares a scheduler event with an empty or over-long method name ({frequency}).");
        else
            valid.Add(new ScheduledEventDeclaration(app.Name, method.Trim(), frequency, cron));
    }

    public static async Task<ScheduledJobSyncResult> SyncAsync(Database db, IEnumerable<App> apps, DateTime nowLocal, CancellationToken ct = default)
    {
        var (declared, errors) = Collect(apps);
        var d = db.Dialect;
        var added = new List<string>();
        var removed = new List<string>();
        var kept = new List<string>();
        await db.BeginAsync(ct);
        try
        {
            var existing = await ScheduledJobType.LoadAllAsync(db, ct);
            var names = existing.Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var wanted = declared.Select(Key).ToHashSet();
            foreach (var row in existing)
            {
                // Rows made for Server Scripts belong to those scripts, not to an app's hooks.
                if (row.ServerScript is not null)
                    continue;
                if (wanted.Contains((row.Method, row.Frequency, row.Frequency == ScheduledFrequency.Cron ? row.CronFormat : null)))
                {
                    kept.Add(row.Name);
                    continue;
                }
                await db.ExecuteAsync($"DELETE FROM {d.Quote(ScheduledJobType.Table)} WHERE {d.Quote("name")} = @p0", [row.Name], ct);
                names.Remove(row.Name);
                removed.Add(row.Name);
            }
            var present = existing.Where(r => !removed.Contains(r.Name))
                .Select(r => (r.Method, r.Frequency, r.Frequency == ScheduledFrequency.Cron ? r.CronFormat : null)).ToHashSet();
            foreach (var decl in declared)
            {
                if (present.Contains(Key(decl)))
                    continue;
                var name = NameFor(decl, names);
                names.Add(name);
                await Rows.InsertAsync(db, ScheduledJobType.Table, Rows.BySystem(name, nowLocal, new()
                {
                    ["method"] = decl.Method,
                    ["frequency"] = decl.Frequency,
                    ["cron_format"] = decl.CronFormat,
                    ["stopped"] = 0,
                    ["create_log"] = decl.Frequency == ScheduledFrequency.All ? 0 : 1,
                }), ct);
                added.Add(name);
            }
            await db.CommitAsync(ct);
        }
        catch
        {
            await db.RollbackAsync(ct);
            throw;
        }
        return new ScheduledJobSyncResult(added, removed, kept, errors);
    }

    private static (string, string, string?) Key(ScheduledEventDeclaration d) => (d.Method, d.Frequency, d.CronFormat);

    /// <summary>
    /// Frappe names a row after the method's last two dotted parts (<c>queue.flush</c>). The same
    /// method on two frequencies would collide there, so the second one gets a short suffix.
    /// </summary>
    private static string NameFor(ScheduledEventDeclaration decl, HashSet<string> taken)
    {
        var parts = decl.Method.Split('.');
        var name = string.Join('.', parts.Skip(Math.Max(0, parts.Length - 2)));
        if (!taken.Contains(name))
            return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(decl.Method + "|" + decl.Frequency + "|" + decl.CronFormat)))[..8];
        return $"{name}-{hash}";
    }
}
