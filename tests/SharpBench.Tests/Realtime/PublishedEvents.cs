using SharpBench.Realtime.Publishing;
using SharpBench.Sites;

namespace SharpBench.Tests.Realtime;

/// <summary>
/// Keeps every realtime publish that reaches the process's in-process bridge: that of contexts
/// made outside a host for sites without <c>redis_queue</c>, and that of any host given
/// <see cref="Bridges"/> as its realtime bridges. A test sees exactly what a Socket.IO server
/// would receive; other tests publish for their own sites meanwhile.
/// </summary>
internal sealed class PublishedEvents : IAsyncDisposable
{
    private readonly List<RealtimeMessage> _got = [];
    private IAsyncDisposable? _subscription;

    /// <summary>Realtime bridges that send every site's events here, Redis or not (for a host's or a test bench's services).</summary>
    public IRealtimeBridges Bridges { get; } = new CaptureBridges();

    public static async Task<PublishedEvents> StartAsync()
    {
        var events = new PublishedEvents();
        events._subscription = await RealtimeBridges.Outside.Local.SubscribeAsync(m =>
        {
            lock (events._got)
                events._got.Add(m);
        });
        return events;
    }

    /// <summary>What was published for <paramref name="site"/> (other tests publish for their own sites meanwhile).</summary>
    public List<(string Event, string? Room, string Message)> For(string site)
    {
        lock (_got)
            return _got.Where(m => m.Namespace == site).Select(m => (m.Event, m.Room, m.MessageJson)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
            await _subscription.DisposeAsync();
    }

    private sealed class CaptureBridges : IRealtimeBridges
    {
        public Task<IRealtimeBridge> ForAsync(Site site) => Task.FromResult<IRealtimeBridge>(RealtimeBridges.Outside.Local);

        public Task<IRealtimeBridge> ForBenchAsync(Bench bench) => Task.FromResult<IRealtimeBridge>(RealtimeBridges.Outside.Local);
    }
}
