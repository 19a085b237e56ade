namespace SharpBench.Realtime.Engine;

/// <summary>
/// The HTTP long-polling transport of one <see cref="EngineSession"/>: at most one GET in
/// flight, answered at once when packets wait, else when one arrives (or the session closes,
/// or an upgrade drains it). Its state is guarded by the session's <see cref="EngineSession.Gate"/>.
/// </summary>
internal sealed class PollingTransport(EngineSession session)
{
    private TaskCompletionSource<bool>? _waiter;
    private bool _polling;

    internal enum PollResult
    {
        Sent,
        Overlap,
    }

    /// <summary>Under the session's lock: takes the pending poll's waiter, for the caller to wake outside the lock.</summary>
    internal TaskCompletionSource<bool>? TakeWaiter()
    {
        var waiter = _waiter;
        _waiter = null;
        return waiter;
    }

    /// <summary>Answers a polling GET: at once when packets are waiting, else when one arrives.</summary>
    internal async Task<(PollResult Result, List<OutPacket>? Batch)> PollAsync(CancellationToken aborted)
    {
        TaskCompletionSource<bool>? waiter = null;
        List<OutPacket>? batch = null;
        var overlap = false;
        lock (session.Gate)
        {
            if (_polling)
                overlap = true;
            else
            {
                _polling = true;
                if (session.ClosedUnderLock || session.Buffer.Count > 0 || session.UpgradingUnderLock)
                    batch = Drain();
                else
                    _waiter = waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        if (overlap)
        {
            // The protocol's answer to two GETs in flight: close; the first gets "1", this one a 400.
            session.Close("multiple polling requests");
            return (PollResult.Overlap, null);
        }
        if (waiter is not null)
        {
            bool woken;
            using (aborted.Register(() => waiter.TrySetResult(false)))
                woken = await waiter.Task;
            if (!woken)
            {
                lock (session.Gate)
                {
                    _polling = false;
                    if (_waiter == waiter)
                        _waiter = null;
                }
                session.Close("transport close");
                return (PollResult.Sent, null);
            }
            lock (session.Gate)
                batch = Drain();
        }
        return (PollResult.Sent, batch);
    }

    internal void Done()
    {
        lock (session.Gate)
            _polling = false;
    }

    /// <summary>Under the session's lock: everything buffered, then the close packet, or a noop that ends a poll for an upgrade.</summary>
    private List<OutPacket> Drain()
    {
        var buffer = session.Buffer;
        var batch = new List<OutPacket>(buffer.Count + 1);
        while (buffer.TryDequeue(out var p))
            batch.Add(p);
        if (session.ClosedUnderLock)
            batch.Add(OutPacket.Close);
        else if (batch.Count == 0 && session.UpgradingUnderLock)
            batch.Add(OutPacket.Noop);
        return batch;
    }
}
