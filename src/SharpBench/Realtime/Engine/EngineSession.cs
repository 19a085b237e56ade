using System.Net.WebSockets;

namespace SharpBench.Realtime.Engine;

/// <summary>
/// One Engine.IO connection: a buffer of outgoing packets drained by whichever transport is
/// current (<see cref="PollingTransport"/>: one pending GET; <see cref="WebSocketTransport"/>:
/// its writer), the server-sent heartbeat, inbound packets from either, and the
/// polling-to-WebSocket upgrade between them. One lock (<see cref="Gate"/>) guards the buffer and
/// both transports' state, so packets keep their order across the upgrade.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001",
    Justification = "The semaphores and token source are shared with loops that may still be finishing after Close; none holds an OS handle unless AvailableWaitHandle is touched, so the GC reclaims them.")]
internal sealed class EngineSession
{
    private readonly EngineOptions _options;
    private readonly IEngineHandler _handler;
    private readonly Action<EngineSession> _removed;
    private readonly SemaphoreSlim _inbound = new(1, 1);
    private readonly SemaphoreSlim _pong = new(0);
    private readonly CancellationTokenSource _cts = new();
    private readonly PollingTransport _polling;
    private readonly WebSocketTransport _webSocket;
    private bool _upgrading;
    private bool _batched;
    private bool _closed;

    internal EngineSession(string id, HandshakeRequest request, EngineTransport transport, EngineOptions options, IEngineHandler handler, Action<EngineSession> removed)
    {
        Id = id;
        Request = request;
        Transport = transport;
        _options = options;
        _handler = handler;
        _removed = removed;
        ClosedToken = _cts.Token;
        _polling = new PollingTransport(this);
        _webSocket = new WebSocketTransport(this, options);
    }

    public string Id { get; }
    public HandshakeRequest Request { get; }
    public EngineTransport Transport { get; private set; }
    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Cancelled when the session closes.</summary>
    public CancellationToken ClosedToken { get; }

    /// <summary>The Socket.IO layer's per-connection state.</summary>
    public object? State { get; set; }

    /// <summary>Guards <see cref="Buffer"/>, the closed and upgrading flags, and both transports' state.</summary>
    internal object Gate { get; } = new();

    /// <summary>Packets waiting for the current transport (under <see cref="Gate"/>).</summary>
    internal Queue<OutPacket> Buffer { get; } = new();

    /// <summary>Under <see cref="Gate"/>: whether the session closed.</summary>
    internal bool ClosedUnderLock => _closed;

    /// <summary>Under <see cref="Gate"/>: a WebSocket probed and the polling transport is being drained for it.</summary>
    internal bool UpgradingUnderLock
    {
        get => _upgrading;
        set => _upgrading = value;
    }

    /// <summary>The close code a WebSocket gets when the session ends.</summary>
    internal WebSocketCloseStatus CloseStatus { get; private set; } = WebSocketCloseStatus.NormalClosure;

    internal bool IsUpgrading
    {
        get
        {
            lock (Gate)
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
        lock (Gate)
        {
            if (_closed)
                return;
            Buffer.Enqueue(packet);
            if (Transport != EngineTransport.WebSocket)
                wake = _polling.TakeWaiter();
            else if (batch is null)
                write = _webSocket.StartWriting();
            else if (!_batched)
                _batched = join = true;
        }
        wake?.TrySetResult(true);
        if (join)
            batch!.Add(this);
        if (write)
            _ = _webSocket.WriteBufferedAsync();
    }

    /// <summary>The end of a <see cref="DeliveryBatch"/> this session was in: writes what it queued.</summary>
    internal void EndBatch()
    {
        bool write;
        lock (Gate)
        {
            _batched = false;
            write = _webSocket.StartWriting();
        }
        if (write)
            _ = _webSocket.WriteBufferedAsync();
    }

    /// <summary>Ends the session. A pending poll gets the close packet; a WebSocket gets a close frame.</summary>
    public void Close(string reason, WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        TaskCompletionSource<bool>? wake;
        lock (Gate)
        {
            if (_closed)
                return;
            _closed = true;
            CloseStatus = status;
            wake = _polling.TakeWaiter();
        }
        wake?.TrySetResult(true);
        // The WebSocket's read loop ends on this; it then waits for the write in flight and closes the socket.
        _cts.Cancel();
        _removed(this);
        _handler.OnClose(this, reason);
    }

    /// <summary>
    /// The upgrade's probe succeeded: the pending poll is answered (with a noop when nothing
    /// waits) and no new poll waits, until the client sends the upgrade packet.
    /// </summary>
    internal void BeginUpgrade()
    {
        TaskCompletionSource<bool>? wake;
        lock (Gate)
        {
            _upgrading = true;
            wake = _polling.TakeWaiter();
        }
        wake?.TrySetResult(true);
    }

    /// <summary>Under <see cref="Gate"/>: the upgrade packet arrived; from now on the WebSocket carries the session.</summary>
    internal void SwitchToWebSocketUnderLock()
    {
        _upgrading = false;
        Transport = EngineTransport.WebSocket;
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

    // ---- the transports ----

    /// <summary>Answers a polling GET (see <see cref="PollingTransport.PollAsync"/>).</summary>
    internal Task<(PollingTransport.PollResult Result, List<OutPacket>? Batch)> PollAsync(CancellationToken aborted) => _polling.PollAsync(aborted);

    internal void PollDone() => _polling.Done();

    /// <summary>Runs a session that started on WebSocket (see <see cref="WebSocketTransport.RunAsync"/>).</summary>
    internal Task RunWebSocketAsync(WebSocket ws, WebSocketStream stream) => _webSocket.RunAsync(ws, stream);

    /// <summary>The polling-to-WebSocket upgrade (see <see cref="WebSocketTransport.RunUpgradeAsync"/>).</summary>
    internal Task RunUpgradeAsync(WebSocket ws, WebSocketStream stream) => _webSocket.RunUpgradeAsync(ws, stream);
}
