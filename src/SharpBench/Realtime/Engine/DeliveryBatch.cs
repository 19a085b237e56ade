namespace SharpBench.Realtime.Engine;

/// <summary>
/// The sessions that were sent packets while one drain of the event channel was delivered. Each
/// writes its share when the batch ends, in one write, so a burst of events costs each client one
/// send per drain rather than one per event. Used by one thread at a time.
/// </summary>
internal sealed class DeliveryBatch
{
    private readonly List<EngineSession> _sessions = [];

    internal void Add(EngineSession session) => _sessions.Add(session);

    /// <summary>Writes every session's queued packets.</summary>
    public void End()
    {
        foreach (var session in _sessions)
            session.EndBatch();
        _sessions.Clear();
    }
}
