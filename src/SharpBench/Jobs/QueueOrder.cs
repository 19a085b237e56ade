namespace SharpBench.Jobs;

/// <summary>RQ's dequeue strategies, as <c>bench worker --strategy</c> names them.</summary>
public enum DequeueStrategy
{
    /// <summary>Strict priority in the order given.</summary>
    Default,

    /// <summary>After each job, the queue it came from moves to the back.</summary>
    RoundRobin,

    /// <summary>After each job, the queues are shuffled.</summary>
    Random,
}

/// <summary>
/// The order a worker takes its queues in. With <see cref="DequeueStrategy.Default"/> it never
/// changes; the other strategies change it after every job, as RQ's worker does, so a worker
/// using them takes one job at a time.
/// </summary>
public sealed class QueueOrder
{
    public static readonly IReadOnlyList<string> StrategyNames = ["round_robin", "random"];

    private readonly Lock _gate = new();
    private readonly DequeueStrategy _strategy;
    private string[] _queues;

    public QueueOrder(IReadOnlyList<string> queues, DequeueStrategy strategy)
    {
        _queues = [.. queues];
        _strategy = strategy;
    }

    /// <summary>"round_robin" or "random" (Frappe's names); null or empty is the default.</summary>
    public static DequeueStrategy ParseStrategy(string? name) => name switch
    {
        null or "" => DequeueStrategy.Default,
        "round_robin" => DequeueStrategy.RoundRobin,
        "random" => DequeueStrategy.Random,
        _ => throw new BenchException($"Unknown dequeue strategy '{name}': use {string.Join(" or ", StrategyNames)}."),
    };

    /// <summary>Whether the order changes per job, so jobs must be taken one at a time.</summary>
    public bool PerJob => _strategy != DequeueStrategy.Default;

    public IReadOnlyList<string> Current
    {
        get
        {
            lock (_gate)
                return _queues;
        }
    }

    /// <summary>Moves on after a job from <paramref name="queue"/> was taken.</summary>
    public void Served(string queue)
    {
        if (_strategy == DequeueStrategy.Default)
            return;
        lock (_gate)
        {
            var next = (string[])_queues.Clone();
            if (_strategy == DequeueStrategy.RoundRobin)
            {
                var at = Array.IndexOf(next, queue);
                if (at < 0)
                    return;
                next = [.. next[(at + 1)..], .. next[..(at + 1)]];
            }
            else
            {
                System.Security.Cryptography.RandomNumberGenerator.Shuffle(next.AsSpan());
            }
            // A new array each time: readers keep the one they were handed.
            _queues = next;
        }
    }
}
