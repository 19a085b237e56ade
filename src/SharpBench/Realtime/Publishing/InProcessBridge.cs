namespace SharpBench.Realtime.Publishing;

/// <summary>The bridge of <c>bench start</c> without Redis: publishers and the realtime server share a host (one per host, a singleton service).</summary>
internal sealed class InProcessBridge : IRealtimeBridge
{
    private volatile Action<RealtimeMessage>[] _subscribers = [];
    private readonly object _lock = new();

    public Task PublishAsync(RealtimeMessage message, CancellationToken ct = default)
    {
        foreach (var s in _subscribers)
            s(message);
        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> SubscribeAsync(Action<RealtimeMessage> deliver, CancellationToken ct = default)
    {
        lock (_lock)
            _subscribers = [.. _subscribers, deliver];
        return Task.FromResult<IAsyncDisposable>(new Subscription(this, deliver));
    }

    private sealed class Subscription(InProcessBridge bridge, Action<RealtimeMessage> deliver) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (bridge._lock)
                bridge._subscribers = [.. bridge._subscribers.Where(s => s != deliver)];
            return ValueTask.CompletedTask;
        }
    }
}
