using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace SharpBench.Realtime.Engine;

/// <summary>
/// The WebSocket transport of one <see cref="EngineSession"/>: its read loop, its one writer
/// (everything buffered goes out in one write), the polling-to-WebSocket upgrade, and the close.
/// Its state is guarded by the session's <see cref="EngineSession.Gate"/>.
/// </summary>
internal sealed class WebSocketTransport(EngineSession session, EngineOptions options)
{
    private readonly List<OutPacket> _sending = [];
    private WebSocketStream? _stream;
    private bool _writing;
    private TaskCompletionSource? _writesDone;

    /// <summary>Runs a session that started on WebSocket: open packet first, then both loops.</summary>
    internal async Task RunAsync(WebSocket ws, WebSocketStream stream)
    {
        lock (session.Gate)
            _stream = stream;
        session.Send(OutPacket.Raw(session.OpenPacket(canUpgrade: false)));
        session.Start();
        await ReadLoopAsync(ws);
        await FinishWritesAsync(ws);
    }

    /// <summary>The polling-to-WebSocket upgrade: 2probe/3probe, noop the pending poll, then 5.</summary>
    internal async Task RunUpgradeAsync(WebSocket ws, WebSocketStream stream)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(session.ClosedToken);
        timeout.CancelAfter(options.UpgradeTimeout);
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
                    session.BeginUpgrade();
                }
                else if (text == "5")
                {
                    bool write;
                    lock (session.Gate)
                    {
                        if (!session.UpgradingUnderLock || session.ClosedUnderLock)
                            break;
                        session.SwitchToWebSocketUnderLock();
                        _stream = stream;
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
            lock (session.Gate)
                session.UpgradingUnderLock = false;
            await CloseSocketQuietlyAsync(ws, WebSocketCloseStatus.PolicyViolation);
            return;
        }
        await ReadLoopAsync(ws);
        await FinishWritesAsync(ws);
    }

    private async Task ReadLoopAsync(WebSocket ws)
    {
        var ct = session.ClosedToken;
        try
        {
            while (!session.IsClosed)
            {
                var (text, binary, ok) = await ReceiveMessageAsync(ws, ct);
                if (!ok)
                    break;
                if (text is not null)
                {
                    if (!await session.ReceiveTextAsync(text))
                        return;
                }
                else if (binary is not null)
                {
                    if (!await session.ReceiveBinaryAsync(binary))
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
        session.Close("transport close");
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
                if (total > options.MaxPayload)
                {
                    // ws's answer to an oversized message: close 1009 and drop the session.
                    session.Close("transport error", WebSocketCloseStatus.MessageTooBig);
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

    /// <summary>Under the session's lock: claims the writer role when packets wait on a ready WebSocket and nobody writes.</summary>
    internal bool StartWriting()
    {
        if (_writing || _stream is null || session.Buffer.Count == 0)
            return false;
        _writing = true;
        return true;
    }

    /// <summary>
    /// The one writer: sends what is buffered, all waiting packets in one write, until the buffer
    /// is empty. Runs synchronously on the caller's thread while the socket accepts writes at once,
    /// and carries on asynchronously only when one has to wait (a slow client).
    /// </summary>
    internal async Task WriteBufferedAsync()
    {
        var stream = _stream!;
        var sending = _sending;
        var buffer = session.Buffer;
        try
        {
            while (true)
            {
                TaskCompletionSource? done = null;
                lock (session.Gate)
                {
                    while (buffer.TryDequeue(out var p))
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
            lock (session.Gate)
            {
                sending.Clear();
                buffer.Clear();
                _writing = false;
                done = _writesDone;
                _writesDone = null;
            }
            done?.TrySetResult();
            session.Close("transport error");
        }
    }

    /// <summary>After the read loop: lets the write in flight finish (so queued packets go out), then closes the socket.</summary>
    private async Task FinishWritesAsync(WebSocket ws)
    {
        Task? pending = null;
        lock (session.Gate)
        {
            if (_writing)
                pending = (_writesDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        if (pending is not null)
            await pending;
        session.Close("transport close");
        await CloseSocketQuietlyAsync(ws, session.CloseStatus);
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
