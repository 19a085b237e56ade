using System.Collections.Concurrent;
using StackExchange.Redis;

namespace SharpBench.Auth;

/// <summary>
/// Sessions this process read in the last few seconds, so a busy client's requests cost no
/// database or Redis read for its session. A session ended here (logout, password change) is
/// dropped at once; one ended in another process is dropped when that process announces it on
/// the site's <c>redis_cache</c>, and in any case once the entry is <see cref="Ttl"/> old.
/// One per host (<c>host.Sessions</c>).
/// </summary>
public sealed class LocalSessionCache
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);
    private const int SweepAbove = 10_000;
    private const string Channel = "sharpbench:session-ended";
    private readonly ConcurrentDictionary<string, (SessionInfo Session, long At)> Entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IConnectionMultiplexer, Lazy<Task>> Subscribed = new();

    internal SessionInfo? Get(string site, string sid)
    {
        if (!Entries.TryGetValue(Key(site, sid), out var e))
            return null;
        if (Environment.TickCount64 - e.At > Ttl.TotalMilliseconds)
        {
            Entries.TryRemove(Key(site, sid), out _);
            return null;
        }
        return Copy(e.Session);
    }

    internal void Put(string site, SessionInfo session)
    {
        if (Entries.Count > SweepAbove)
            Sweep();
        Entries[Key(site, session.Sid)] = (Copy(session), Environment.TickCount64);
    }

    internal void Remove(string site, string sid) => Entries.TryRemove(Key(site, sid), out _);

    /// <summary>Tells every other process sharing the Redis cache to drop the session.</summary>
    internal async Task AnnounceEndedAsync(IDatabase cache, string site, string sid)
    {
        await ListenAsync(cache.Multiplexer);
        await cache.PublishAsync(RedisChannel.Literal(Channel), Key(site, sid));
    }

    /// <summary>Subscribes once per Redis connection to the sessions other processes end.</summary>
    internal Task ListenAsync(IConnectionMultiplexer mux)
    {
        var subscription = Subscribed.GetOrAdd(mux, m => new Lazy<Task>(() => SubscribeAsync(m)));
        var task = subscription.Value;
        if (task.IsFaulted)
        {
            // A subscribe that failed is tried again by the next request.
            Subscribed.TryRemove(new KeyValuePair<IConnectionMultiplexer, Lazy<Task>>(mux, subscription));
        }
        return task;
    }

    private async Task SubscribeAsync(IConnectionMultiplexer mux)
    {
        // Messages sent while the connection was down are lost: forget everything we hold.
        mux.ConnectionRestored += (_, _) => Entries.Clear();
        await mux.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel), (channel, key) => Entries.TryRemove(key.ToString(), out _));
    }

    /// <summary>Forgets every cached session (tests that edit tabSessions behind the framework's back).</summary>
    public void Clear() => Entries.Clear();

    // Each request gets its own copy: session data is a mutable JSON object.
    private static SessionInfo Copy(SessionInfo s) =>
        new(s.Sid, s.User, (System.Text.Json.Nodes.JsonObject)s.Data.DeepClone(), s.LastUpdate, s.IpAddress);

    private static string Key(string site, string sid) => site + "|" + sid;

    private void Sweep()
    {
        var now = Environment.TickCount64;
        foreach (var (key, e) in Entries)
        {
            if (now - e.At > Ttl.TotalMilliseconds)
                Entries.TryRemove(key, out _);
        }
    }
}
