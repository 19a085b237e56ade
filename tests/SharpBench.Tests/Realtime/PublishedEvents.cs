using SharpBench.Realtime;
using SharpBench.Realtime.Publishing;

namespace SharpBench.Tests.Realtime;

/// <summary>
/// Sends every realtime publish of this process to an in-process bridge and keeps what reaches
/// it, so a test sees exactly what a Socket.IO server would receive. The bridge factory is
/// process-wide: classes using this share <see cref="PublisherTests.Name"/>'s collection.
/// </summary>
public sealed class PublishedEvents : IAsyncDisposable
{
    private readonly InProcessBridge _bridge = new();
    private readonly List<RealtimeMessage> _got = [];
    private IAsyncDisposable? _subscription;

    public static async Task<PublishedEvents> StartAsync()
    {
        var events = new PublishedEvents();
        RealtimePublisher.BridgeFactory = _ => Task.FromResult<IRealtimeBridge>(events._bridge);
        events._subscription = await events._bridge.SubscribeAsync(m =>
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
        RealtimePublisher.BridgeFactory = null;
        if (_subscription is not null)
            await _subscription.DisposeAsync();
    }
}
