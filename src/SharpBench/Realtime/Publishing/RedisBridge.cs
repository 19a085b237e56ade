using System.Collections.Concurrent;
using StackExchange.Redis;

namespace SharpBench.Realtime.Publishing;

/// <summary>
/// Redis pub/sub on the <c>events</c> channel of <c>redis_queue</c>, the contract Frappe's Python
/// side and node server share. One multiplexer per URL per process.
/// </summary>
public sealed class RedisBridge(IConnectionMultiplexer redis) : IRealtimeBridge
{
    public const string Channel = "events";

    private static readonly ConcurrentDictionary<string, Lazy<Task<ConnectionMultiplexer>>> Connections = new(StringComparer.Ordinal);

    /// <summary>A bridge for a <c>redis://host:port[/db]</c> URL, sharing one connection per URL.</summary>
    public static async Task<RedisBridge> ForUrlAsync(string url)
    {
        var lazy = Connections.GetOrAdd(url, u => new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(ToOptions(u))));
        try
        {
            return new RedisBridge(await lazy.Value);
        }
        catch
        {
            Connections.TryRemove(url, out _);
            throw;
        }
    }

    public static ConfigurationOptions ToOptions(string url)
    {
        var options = Data.RedisUrl.Parse(url, "redis_queue");
        options.ClientName = "sharpbench-realtime";
        return options;
    }

    public async Task PublishAsync(RealtimeMessage message, CancellationToken ct = default) =>
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(Channel), message.ToJson());

    public async Task<IAsyncDisposable> SubscribeAsync(Action<RealtimeMessage> deliver, CancellationToken ct = default)
    {
        // A message queue (not a plain handler) keeps events in publish order.
        var queue = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel));
        queue.OnMessage(m =>
        {
            if (RealtimeMessage.Parse(m.Message.ToString()) is { } message)
                deliver(message);
        });
        return new Subscription(queue);
    }

    private sealed class Subscription(ChannelMessageQueue queue) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await queue.UnsubscribeAsync();
    }
}
