using Microsoft.Extensions.DependencyInjection;
using SharpBench.Sites;

namespace SharpBench.Realtime.Publishing;

/// <summary>Which bridge events go through: a host's singleton service, replaced in tests to capture what is published.</summary>
internal interface IRealtimeBridges
{
    /// <summary>The bridge <paramref name="site"/>'s events are published on.</summary>
    Task<IRealtimeBridge> ForAsync(Site site);

    /// <summary>The bridge a realtime server of <paramref name="bench"/> listens on (only common config counts, as node reads it).</summary>
    Task<IRealtimeBridge> ForBenchAsync(Bench bench);
}

/// <summary>
/// Redis pub/sub when <c>redis_queue</c> is set (one connection per URL, from the host's
/// <see cref="RedisConnections"/>), else the host's own in-process bridge, so two hosts in one
/// process never hear each other's events.
/// </summary>
internal sealed class RealtimeBridges(InProcessBridge local, RedisConnections redis) : IRealtimeBridges
{
    /// <summary>
    /// The bridges of work done outside any host (a CLI command, a test's own context): such a
    /// context carries no services to ask, so there is one per process.
    /// </summary>
    public static RealtimeBridges Outside { get; } = new(new InProcessBridge(), RedisConnections.Outside);

    /// <summary>The bridges of the host that runs <paramref name="context"/>'s unit of work, else <see cref="Outside"/>.</summary>
    public static IRealtimeBridges Of(FrappeContext context) => context.Services?.GetService<IRealtimeBridges>() ?? Outside;

    /// <summary>The in-process bridge of sites without <c>redis_queue</c>.</summary>
    public InProcessBridge Local => local;

    public Task<IRealtimeBridge> ForAsync(Site site) => ForUrlAsync(RedisQueueLogin.QueueUrl(site.BenchRoot, site.Config));

    public Task<IRealtimeBridge> ForBenchAsync(Bench bench) => ForUrlAsync(RedisQueueLogin.QueueUrl(bench.Root, bench.CommonConfig()));

    private async Task<IRealtimeBridge> ForUrlAsync(string? url) =>
        url is null ? local : new RedisBridge(await redis.RealtimeAsync(url));
}
