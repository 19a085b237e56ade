namespace SharpBench.Realtime.Publishing;

/// <summary>
/// How published events reach the realtime servers: Redis pub/sub on <c>redis_queue</c>
/// (channel <c>events</c>) between processes, or an in-process bus when one process runs every role.
/// </summary>
public interface IRealtimeBridge
{
    Task PublishAsync(RealtimeMessage message, CancellationToken ct = default);

    /// <summary>Calls <paramref name="deliver"/> for every message published anywhere on this bridge.</summary>
    Task<IAsyncDisposable> SubscribeAsync(Action<RealtimeMessage> deliver, CancellationToken ct = default);
}
