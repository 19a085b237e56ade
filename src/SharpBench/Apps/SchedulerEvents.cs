namespace SharpBench.Apps;

/// <summary>
/// An app's <c>scheduler_events</c> hook: frequency keys (<c>all</c>, <c>hourly</c>,
/// <c>daily_long</c>, …) to dotted method names, and <see cref="Cron"/> expressions to method names.
/// Written as an object initializer: <c>new() { ["hourly"] = ["app.tasks.sync"], Cron = { ["*/15 * * * *"] = ["app.tasks.poll"] } }</c>.
/// </summary>
public sealed class SchedulerEvents
{
    public static readonly SchedulerEvents None = new();

    private readonly Dictionary<string, List<string>> _frequencies = new(StringComparer.Ordinal);

    /// <summary>Methods per frequency key, as Frappe's hooks.py spells them.</summary>
    public List<string> this[string frequencyKey]
    {
        get => _frequencies.TryGetValue(frequencyKey, out var list) ? list : _frequencies[frequencyKey] = [];
        set => _frequencies[frequencyKey] = value;
    }

    public IReadOnlyDictionary<string, List<string>> Frequencies => _frequencies;

    /// <summary>Cron expression (5 fields) to methods.</summary>
    public Dictionary<string, List<string>> Cron { get; } = new(StringComparer.Ordinal);
}
