using System.Buffers;

namespace SharpBench.Realtime.Engine;

/// <summary>
/// The upgraded connection under a WebSocket. The <see cref="System.Net.WebSockets.WebSocket"/> reads
/// through it and writes its own control frames (pong, close) through it; the session writes its
/// prepared data frames next to them, a whole batch in one write, so a client that is owed several
/// packets gets them in one send instead of one per frame. One write at a time keeps frames whole.
/// </summary>
internal sealed class WebSocketStream(Stream inner) : Stream
{
    private readonly SemaphoreSlim _writing = new(1, 1);

    /// <summary>Writes every packet's frame, in order, as one write.</summary>
    public async ValueTask WriteFramesAsync(IReadOnlyList<OutPacket> packets)
    {
        if (packets.Count == 1)
        {
            await WriteAsync(packets[0].Frame);
            return;
        }
        var length = 0;
        foreach (var p in packets)
            length += p.Frame.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var at = 0;
            foreach (var p in packets)
            {
                p.Frame.CopyTo(buffer, at);
                at += p.Frame.Length;
            }
            await WriteAsync(buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>A synchronous caller writes synchronously, still one write at a time.</summary>
    public override void Write(byte[] buffer, int offset, int count)
    {
        _writing.Wait();
        try
        {
            inner.Write(buffer, offset, count);
        }
        finally
        {
            _writing.Release();
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
