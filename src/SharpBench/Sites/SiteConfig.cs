using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBench.Sites;

/// <summary>
/// The merged configuration of one site: common_site_config.json, then site_config.json over
/// it, then the FRAPPE_* environment overrides Frappe honours (which win).
/// </summary>
public sealed class SiteConfig
{
    private static readonly (string Key, string Env)[] EnvOverrides =
    [
        ("redis_queue", "FRAPPE_REDIS_QUEUE"),
        ("redis_cache", "FRAPPE_REDIS_CACHE"),
        ("db_type", "FRAPPE_DB_TYPE"),
        ("db_host", "FRAPPE_DB_HOST"),
        ("db_port", "FRAPPE_DB_PORT"),
    ];

    public SiteConfig(JsonObject values) => Values = values;

    public JsonObject Values { get; }

    public static SiteConfig Merge(JsonObject common, JsonObject site)
    {
        var merged = (JsonObject)common.DeepClone();
        foreach (var (key, value) in site)
            merged[key] = value?.DeepClone();
        foreach (var (key, env) in EnvOverrides)
        {
            var v = Environment.GetEnvironmentVariable(env);
            if (!string.IsNullOrEmpty(v))
                merged[key] = v;
        }
        return new SiteConfig(merged);
    }

    public string? GetString(string key) => Values[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonNode n => n.ToJsonString(),
    };

    public int? GetInt(string key) => Values[key] switch
    {
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<long>(out var l) => checked((int)l),
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, out var p) => p,
        _ => null,
    };

    public long? GetLong(string key) => Values[key] switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) && d is >= long.MinValue and <= long.MaxValue => (long)d,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, out var p) => p,
        _ => null,
    };

    /// <summary>Frappe's truthiness: 1, true, "1", "true" are on; absent, 0, false, "" are off.</summary>
    public bool GetBool(string key) => Values[key] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>() != 0,
        JsonValue v when v.TryGetValue<string>(out var s) => s is "1" or "true" or "True",
        _ => false,
    };
}
