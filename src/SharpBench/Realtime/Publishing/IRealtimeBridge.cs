namespace SharpBench.Realtime.Publishing;

/// <summary>
/// How published events reach the realtime servers: Redis pub/sub on <c>redis_queue</c>
/// (channel <c>events</c>) between processes, or an in-process bus when one process runs every role.
/// </summary>
internal interface IRealtimeBridge
{
    Task PublishAsync(RealtimeMessage message, CancellationToken ct = default);

    /// <summary>Calls <paramref name="deliver"/> for every message published anywhere on this bridge.</summary>
    Task<IAsyncDisposable> SubscribeAsync(Action<RealtimeMessage> deliver, CancellationToken ct = default);

    /// <summary>
    /// Like <see cref="SubscribeAsync"/>, but hands over together the messages that were already
    /// waiting, so the server can write each client's share of them in one go.
    /// </summary>
    Task<IAsyncDisposable> SubscribeBatchesAsync(Action<IReadOnlyList<RealtimeMessage>> deliver, CancellationToken ct = default) =>
        SubscribeAsync(m => deliver([m]), ct);
}
