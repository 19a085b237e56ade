using System.Text;

namespace SharpBench.Backups;

/// <summary>A read-through stream that keeps the last bytes read, to check how a dump ends without a second pass.</summary>
internal sealed class TailStream(Stream inner) : Stream
{
    private const int Keep = 4096;
    private readonly byte[] _ring = new byte[Keep];
    private long _total;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Record(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        return Record(buffer.Span[..n]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>The last bytes read, as text (a multi-byte character cut at the start is harmless here).</summary>
    public string Tail()
    {
        var length = (int)Math.Min(_total, Keep);
        var bytes = new byte[length];
        var start = (int)((_total - length) % Keep);
        for (var i = 0; i < length; i++)
            bytes[i] = _ring[(start + i) % Keep];
        return Encoding.UTF8.GetString(bytes);
    }

    private int Record(ReadOnlySpan<byte> read)
    {
        // Only the last Keep bytes of this read can survive it; they go in at most two pieces.
        var keep = read.Length > Keep ? read[^Keep..] : read;
        _total += read.Length - keep.Length;
        var at = (int)(_total % Keep);
        var first = Math.Min(keep.Length, Keep - at);
        keep[..first].CopyTo(_ring.AsSpan(at));
        keep[first..].CopyTo(_ring);
        _total += keep.Length;
        return read.Length;
    }
}
