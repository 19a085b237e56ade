using System.Threading.Channels;
using StackExchange.Redis;

namespace SharpBench.Realtime.Publishing;

/// <summary>
/// Redis pub/sub on the <c>events</c> channel of <c>redis_queue</c>, the contract Frappe's Python
/// side and node server share, over a connection from the host's <see cref="Sites.RedisConnections"/>.
/// </summary>
internal sealed class RedisBridge(IConnectionMultiplexer redis) : IRealtimeBridge
{
    public const string Channel = "events";

    public async Task PublishAsync(RealtimeMessage message, CancellationToken ct = default) =>
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(Channel), message.ToJson());

    public Task<IAsyncDisposable> SubscribeAsync(Action<RealtimeMessage> deliver, CancellationToken ct = default) =>
        SubscribeBatchesAsync(batch =>
        {
            foreach (var message in batch)
                deliver(message);
        }, ct);

    public async Task<IAsyncDisposable> SubscribeBatchesAsync(Action<IReadOnlyList<RealtimeMessage>> deliver, CancellationToken ct = default)
    {
        // A message queue (not a plain handler) keeps events in publish order.
        var queue = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel));
        _ = Task.Run(() => DrainAsync(queue, deliver), CancellationToken.None);
        return new Subscription(queue);
    }

    /// <summary>
    /// The most messages handed over at once: enough that a burst costs each client few sends, few
    /// enough that the first of them does not wait long for the rest to be queued.
    /// </summary>
    private const int MaxBatch = 256;

    /// <summary>
    /// Hands over whatever has arrived: one message when events trickle in, many when a burst
    /// queued them up while the previous ones were being delivered.
    /// </summary>
    private static async Task DrainAsync(ChannelMessageQueue queue, Action<IReadOnlyList<RealtimeMessage>> deliver)
    {
        var batch = new List<RealtimeMessage>();
        while (true)
        {
            ChannelMessage next;
            try
            {
                next = await queue.ReadAsync();
            }
            catch (ChannelClosedException)
            {
                return; // unsubscribed
            }
            do
            {
                if (RealtimeMessage.Parse(next.Message.ToString()) is { } message)
                    batch.Add(message);
            }
            while (batch.Count < MaxBatch && queue.TryRead(out next));
            if (batch.Count == 0)
                continue;
            deliver(batch);
            batch.Clear();
        }
    }

    private sealed class Subscription(ChannelMessageQueue queue) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await queue.UnsubscribeAsync();
    }
}
