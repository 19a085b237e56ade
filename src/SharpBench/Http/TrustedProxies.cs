using System.Net;
using IPNetwork = System.Net.IPNetwork;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using SharpBench.Sites;

namespace SharpBench.Http;

/// <summary>
/// Which peers may tell us the client's address in <c>X-Forwarded-For</c>: common config
/// <c>trusted_proxies</c>, a list (or comma-separated text) of addresses, CIDR networks and the
/// words <c>loopback</c> and <c>private</c> (10/8, 172.16/12, 192.168/16, fc00::/7). Without the
/// key: <c>["loopback", "private"]</c>, the nginx of a bench or of a compose stack; <c>[]</c>
/// believes no one. ASP.NET Core's forwarded-headers middleware then walks the header from the
/// right, hop by hop while the hop it came from is trusted, so the address is the one the
/// nearest trusted proxy saw, never the first, client-written entry.
/// </summary>
internal static class TrustedProxies
{
    public const string ConfigKey = "trusted_proxies";

    private static readonly string[] Loopback = ["127.0.0.0/8", "::1/128"];
    private static readonly string[] Private = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

    /// <summary>The middleware's options; null when no proxy is trusted (with empty lists the middleware would trust every peer).</summary>
    public static ForwardedHeadersOptions? Options(JsonObject commonConfig)
    {
        var networks = Networks(commonConfig[ConfigKey]).ToList();
        if (networks.Count == 0)
            return null;
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = null };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        // The obsolete list still holds the default 127.0.0.0/8 and is consulted too.
#pragma warning disable ASPDEPR005
        options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
        foreach (var network in networks)
            options.KnownIPNetworks.Add(network);
        return options;
    }

    public static IEnumerable<IPNetwork> Networks(JsonNode? setting)
    {
        var entries = setting switch
        {
            null => ["loopback", "private"],
            JsonArray a => a.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad(n?.ToJsonString())).ToList(),
            JsonValue v when v.TryGetValue<string>(out var s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            _ => throw Bad(setting.ToJsonString()),
        };
        foreach (var entry in entries)
        {
            var cidrs = entry.Trim().ToLowerInvariant() switch
            {
                "loopback" => Loopback,
                "private" => Private,
                var one => [one.Contains('/') ? one : IPAddress.TryParse(one, out var ip) ? $"{one}/{(ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)}" : one],
            };
            foreach (var cidr in cidrs)
            {
                if (!IPNetwork.TryParse(cidr, out var network))
                    throw Bad(entry);
                yield return network;
                // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d.
                if (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                    yield return new IPNetwork(network.BaseAddress.MapToIPv6(), network.PrefixLength + 96);
            }
        }
    }

    private static BenchException Bad(string? entry) =>
        new($"common_site_config.json: {ConfigKey} must be a list of addresses, networks (10.0.0.0/8) or the words loopback and private; '{entry}' is none of these");
}
