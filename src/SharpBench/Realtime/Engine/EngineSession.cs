using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace SharpBench.Realtime.Engine;

/// <summary>
/// One Engine.IO connection: a buffer of outgoing packets drained by whichever transport is
/// current (one pending polling GET, or the WebSocket writer), the server-sent heartbeat, and
/// the polling-to-WebSocket upgrade.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001",
    Justification = "The semaphores and token source are shared with loops that may still be finishing after Close; none holds an OS handle unless AvailableWaitHandle is touched, so the GC reclaims them.")]
public sealed class EngineSession
{
    private readonly object _lock = new();
    private readonly Queue<OutPacket> _buffer = new();
    private readonly EngineOptions _options;
    private readonly IEngineHandler _handler;
    private readonly Action<EngineSession> _removed;
    private readonly SemaphoreSlim _inbound = new(1, 1);
    private readonly SemaphoreSlim _pong = new(0);
    private readonly List<OutPacket> _sending = [];
    private readonly CancellationTokenSource _cts = new();
    private TaskCompletionSource<bool>? _pollWaiter;
    private bool _polling;
    private bool _upgrading;
    private bool _writing;
    private bool _batched;
    private TaskCompletionSource? _writesDone;
    private bool _closed;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private WebSocketStream? _wsStream;

    internal EngineSession(string id, HandshakeRequest request, EngineTransport transport, EngineOptions options, IEngineHandler handler, Action<EngineSession> removed)
    {
        Id = id;
        Request = request;
        Transport = transport;
        _options = options;
        _handler = handler;
        _removed = removed;
        ClosedToken = _cts.Token;
    }

    public string Id { get; }
    public HandshakeRequest Request { get; }
    public EngineTransport Transport { get; private set; }
    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Cancelled when the session closes.</summary>
    public CancellationToken ClosedToken { get; }

    /// <summary>The Socket.IO layer's per-connection state.</summary>
    public object? State { get; set; }

    internal bool IsUpgrading
    {
        get
        {
            lock (_lock)
                return _upgrading;
        }
    }

    internal string OpenPacket(bool canUpgrade) =>
        "0{\"sid\":\"" + Id + "\",\"upgrades\":" + (canUpgrade ? "[\"websocket\"]" : "[]") +
        ",\"pingInterval\":" + (long)_options.PingInterval.TotalMilliseconds +
        ",\"pingTimeout\":" + (long)_options.PingTimeout.TotalMilliseconds +
        ",\"maxPayload\":" + _options.MaxPayload + "}";

    internal void Start()
    {
        _handler.OnOpen(this);
        _ = PingLoopAsync();
    }

    /// <summary>
    /// Queues a packet. On WebSocket, the caller writes it at once when no write is in flight
    /// (a broadcast then writes to every socket from its own thread, with no thread-pool hop per
    /// socket); otherwise the write in flight picks it up, so packets keep their order. With a
    /// <paramref name="batch"/>, the write waits for the batch's end, so everything the batch
    /// brings this client leaves in one write.
    /// </summary>
    public void Send(OutPacket packet, DeliveryBatch? batch = null)
    {
        TaskCompletionSource<bool>? wake = null;
        var write = false;
        var join = false;
        lock (_lock)
        {
            if (_closed)
                return;
            _buffer.Enqueue(packet);
            if (Transport != EngineTransport.WebSocket)
            {
                wake = _pollWaiter;
                _pollWaiter = null;
            }
            else if (batch is null)
                write = StartWriting();
            else if (!_batched)
                _batched = join = true;
        }
        wake?.TrySetResult(true);
        if (join)
            batch!.Add(this);
        if (write)
            _ = WriteBufferedAsync();
    }

    /// <summary>The end of a <see cref="DeliveryBatch"/> this session was in: writes what it queued.</summary>
    internal void EndBatch()
    {
        bool write;
        lock (_lock)
        {
            _batched = false;
            write = StartWriting();
        }
        if (write)
            _ = WriteBufferedAsync();
    }

    /// <summary>Ends the session. A pending poll gets the close packet; a WebSocket gets a close frame.</summary>
    public void Close(string reason, WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        TaskCompletionSource<bool>? wake;
        lock (_lock)
        {
            if (_closed)
                return;
            _closed = true;
            _closeStatus = status;
            wake = _pollWaiter;
            _pollWaiter = null;
        }
        wake?.TrySetResult(true);
        // The WebSocket's read loop ends on this; it then waits for the write in flight and closes the socket.
        _cts.Cancel();
        _removed(this);
        _handler.OnClose(this, reason);
    }

    private async Task PingLoopAsync()
    {
        var ct = ClosedToken;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(_options.PingInterval, ct);
                while (_pong.CurrentCount > 0)
                    _pong.Wait(0, CancellationToken.None);
                Send(OutPacket.Ping);
                if (!await _pong.WaitAsync(_options.PingTimeout, ct))
                {
                    Close("ping timeout");
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    // ---- inbound packets (both transports) ----

    /// <summary>Handles one Engine.IO text packet; false when it was malformed and the session was closed.</summary>
    internal async Task<bool> ReceiveTextAsync(string packet)
    {
        if (packet.Length == 0)
            return Fail("parse error");
        await _inbound.WaitAsync();
        try
        {
            if (_closed)
                return true;
            Alive();
            switch (packet[0])
            {
                case '1':
                    Close("transport close");
                    return true;
                case '2':
                    // EIO4: only the server pings; a client ping is a protocol error.
                    return Fail("invalid heartbeat direction");
                case '3':
                case '5':
                case '6':
                case '0':
                    return true;
                case '4':
                    await _handler.OnMessageAsync(this, packet[1..]);
                    return !_closed;
                default:
                    return Fail("parse error");
            }
        }
        finally
        {
            _inbound.Release();
        }
    }

    /// <summary>Handles one binary message; false when it was out of place and the session was closed.</summary>
    internal async Task<bool> ReceiveBinaryAsync(byte[] data)
    {
        await _inbound.WaitAsync();
        try
        {
            if (_closed)
                return true;
            Alive();
            await _handler.OnBinaryAsync(this, data);
            return !_closed;
        }
        finally
        {
            _inbound.Release();
        }
    }

    private void Alive()
    {
        if (_pong.CurrentCount == 0)
            _pong.Release();
    }

    private bool Fail(string reason)
    {
        Close(reason);
        return false;
    }

    // ---- polling ----

    internal enum PollResult
    {
        Sent,
        Overlap,
    }

    /// <summary>Answers a polling GET: at once when packets are waiting, else when one arrives.</summary>
    internal async Task<(PollResult Result, List<OutPacket>? Batch)> PollAsync(CancellationToken aborted)
    {
        TaskCompletionSource<bool>? waiter = null;
        List<OutPacket>? batch = null;
        var overlap = false;
        lock (_lock)
        {
            if (_polling)
                overlap = true;
            else
            {
                _polling = true;
                if (_closed || _buffer.Count > 0 || _upgrading)
                    batch = DrainForPoll();
                else
                    _pollWaiter = waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        if (overlap)
        {
            // The protocol's answer to two GETs in flight: close; the first gets "1", this one a 400.
            Close("multiple polling requests");
            return (PollResult.Overlap, null);
        }
        if (waiter is not null)
        {
            bool woken;
            using (aborted.Register(() => waiter.TrySetResult(false)))
                woken = await waiter.Task;
            if (!woken)
            {
                lock (_lock)
                {
                    _polling = false;
                    if (_pollWaiter == waiter)
                        _pollWaiter = null;
                }
                Close("transport close");
                return (PollResult.Sent, null);
            }
            lock (_lock)
                batch = DrainForPoll();
        }
        return (PollResult.Sent, batch);
    }

    internal void PollDone()
    {
        lock (_lock)
            _polling = false;
    }

    private List<OutPacket> DrainForPoll()
    {
        var batch = new List<OutPacket>(_buffer.Count + 1);
        while (_buffer.TryDequeue(out var p))
            batch.Add(p);
        if (_closed)
            batch.Add(OutPacket.Close);
        else if (batch.Count == 0 && _upgrading)
            batch.Add(OutPacket.Noop);
        return batch;
    }

    // ---- WebSocket ----

    /// <summary>Runs a session that started on WebSocket: open packet first, then both loops.</summary>
    internal async Task RunWebSocketAsync(WebSocket ws, WebSocketStream stream)
    {
        lock (_lock)
            _wsStream = stream;
        Send(OutPacket.Raw(OpenPacket(canUpgrade: false)));
        Start();
        await ReadLoopAsync(ws);
        await FinishWritesAsync(ws);
    }

    /// <summary>The polling-to-WebSocket upgrade: 2probe/3probe, noop the pending poll, then 5.</summary>
    internal async Task RunUpgradeAsync(WebSocket ws, WebSocketStream stream)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ClosedToken);
        timeout.CancelAfter(_options.UpgradeTimeout);
        var upgraded = false;
        try
        {
            while (!upgraded)
            {
                var (text, _, ok) = await ReceiveMessageAsync(ws, timeout.Token);
                if (!ok || text is null)
                    break;
                if (text == "2probe")
                {
                    await ws.SendAsync(OutPacket.Probe.Utf8, WebSocketMessageType.Text, true, timeout.Token);
                    TaskCompletionSource<bool>? wake;
                    lock (_lock)
                    {
                        _upgrading = true;
                        wake = _pollWaiter;
                        _pollWaiter = null;
                    }
                    wake?.TrySetResult(true);
                }
                else if (text == "5")
                {
                    bool write;
                    lock (_lock)
                    {
                        if (!_upgrading || _closed)
                            break;
                        _upgrading = false;
                        _wsStream = stream;
                        Transport = EngineTransport.WebSocket;
                        write = StartWriting();
                    }
                    upgraded = true;
                    if (write)
                        _ = WriteBufferedAsync();
                }
                else
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
        if (!upgraded)
        {
            lock (_lock)
                _upgrading = false;
            await CloseSocketQuietlyAsync(ws, WebSocketCloseStatus.PolicyViolation);
            return;
        }
        await ReadLoopAsync(ws);
        await FinishWritesAsync(ws);
    }

    private async Task ReadLoopAsync(WebSocket ws)
    {
        var ct = ClosedToken;
        try
        {
            while (!_closed)
            {
                var (text, binary, ok) = await ReceiveMessageAsync(ws, ct);
                if (!ok)
                    break;
                if (text is not null)
                {
                    if (!await ReceiveTextAsync(text))
                        return;
                }
                else if (binary is not null)
                {
                    if (!await ReceiveBinaryAsync(binary))
                        return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        Close("transport close");
    }

    /// <summary>One whole WebSocket message, or ok=false when the socket closed or sent too much.</summary>
    private async Task<(string? Text, byte[]? Binary, bool Ok)> ReceiveMessageAsync(WebSocket ws, CancellationToken ct)
    {
        // An idle connection sits in this receive for minutes, holding the buffer: keep it small
        // (client packets are pongs and short events); bigger messages are gathered below.
        var chunk = ArrayPool<byte>.Shared.Rent(1024);
        ArrayBufferWriter<byte>? whole = null;
        try
        {
            while (true)
            {
                var r = await ws.ReceiveAsync(chunk.AsMemory(), ct);
                if (r.MessageType == WebSocketMessageType.Close)
                    return (null, null, false);
                var total = (whole?.WrittenCount ?? 0) + r.Count;
                if (total > _options.MaxPayload)
                {
                    // ws's answer to an oversized message: close 1009 and drop the session.
                    Close("transport error", WebSocketCloseStatus.MessageTooBig);
                    return (null, null, false);
                }
                if (r.EndOfMessage && whole is null)
                {
                    return r.MessageType == WebSocketMessageType.Text
                        ? (Encoding.UTF8.GetString(chunk, 0, r.Count), null, true)
                        : (null, chunk.AsSpan(0, r.Count).ToArray(), true);
                }
                whole ??= new ArrayBufferWriter<byte>(Math.Max(64 * 1024, r.Count * 2));
                whole.Write(chunk.AsSpan(0, r.Count));
                if (r.EndOfMessage)
                {
                    return r.MessageType == WebSocketMessageType.Text
                        ? (Encoding.UTF8.GetString(whole.WrittenSpan), null, true)
                        : (null, whole.WrittenSpan.ToArray(), true);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Under <see cref="_lock"/>: claims the writer role when packets wait on a ready WebSocket and nobody writes.</summary>
    private bool StartWriting()
    {
        if (_writing || _wsStream is null || _buffer.Count == 0)
            return false;
        _writing = true;
        return true;
    }

    /// <summary>
    /// The one writer: sends what is buffered, all waiting packets in one write, until the buffer
    /// is empty. Runs synchronously on the caller's thread while the socket accepts writes at once,
    /// and carries on asynchronously only when one has to wait (a slow client).
    /// </summary>
    private async Task WriteBufferedAsync()
    {
        var stream = _wsStream!;
        var sending = _sending;
        try
        {
            while (true)
            {
                TaskCompletionSource? done = null;
                lock (_lock)
                {
                    while (_buffer.TryDequeue(out var p))
                        sending.Add(p);
                    if (sending.Count == 0)
                    {
                        _writing = false;
                        done = _writesDone;
                        _writesDone = null;
                    }
                }
                if (done is not null || sending.Count == 0)
                {
                    done?.TrySetResult();
                    return;
                }
                await stream.WriteFramesAsync(sending);
                sending.Clear();
            }
        }
        catch (Exception)
        {
            // Whatever ended the write (reset, abort, dispose), the session is over; a writer that
            // stayed claimed would keep the request from ever finishing.
            TaskCompletionSource? done;
            lock (_lock)
            {
                sending.Clear();
                _buffer.Clear();
                _writing = false;
                done = _writesDone;
                _writesDone = null;
            }
            done?.TrySetResult();
            Close("transport error");
        }
    }

    /// <summary>After the read loop: lets the write in flight finish (so queued packets go out), then closes the socket.</summary>
    private async Task FinishWritesAsync(WebSocket ws)
    {
        Task? pending = null;
        lock (_lock)
        {
            if (_writing)
                pending = (_writesDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        if (pending is not null)
            await pending;
        Close("transport close");
        await CloseSocketQuietlyAsync(ws, _closeStatus);
    }

    private static async Task CloseSocketQuietlyAsync(WebSocket ws, WebSocketCloseStatus status)
    {
        if (ws.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await ws.CloseOutputAsync(status, null, cts.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
