using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SharpBench.Apps;
using SharpBench.Model;

namespace SharpBench.Sites;

/// <summary>
/// What one host keeps between units of work, so two benches served from one process share none
/// of it: its bench, clock and loggers, and one part per capability (the apps and what they
/// registered, the meta cache, the sessions it read, the login counters it holds while Redis is
/// away). Each capability reads its part through an extension property of its own layer
/// (<c>host.Methods</c>, <c>host.Meta</c>, <c>host.Sessions</c>, …), so this container sits below
/// them all and every <see cref="Site"/> the host's <see cref="SiteRegistry"/> resolves can carry it.
/// A host with the bench's apps loaded comes from <c>BenchHost.Load</c> (CoreApp).
/// </summary>
public sealed class HostState(Bench? bench = null, ILoggerFactory? loggers = null, TimeProvider? clock = null)
{
    private readonly ConcurrentDictionary<Type, object> _parts = new();
    private readonly Lock _gate = new();

    /// <summary>The bench whose apps (sites/apps.txt) the host loads; null for a host with only the core app.</summary>
    public Bench? Bench { get; } = bench;

    public ILoggerFactory Loggers { get; } = loggers ?? NullLoggerFactory.Instance;

    /// <summary>The time the model and sessions read (tests move it).</summary>
    public TimeProvider Clock { get; } = clock ?? TimeProvider.System;

    /// <summary>The host's part of type <typeparamref name="T"/>, made by <paramref name="create"/> on first use.</summary>
    public T Part<T>(Func<HostState, T> create)
        where T : class
    {
        if (_parts.TryGetValue(typeof(T), out var part))
            return (T)part;
        lock (_gate)
        {
            if (!_parts.TryGetValue(typeof(T), out part))
            {
                part = create(this);
                _parts[typeof(T)] = part;
            }
            return (T)part;
        }
    }
}
