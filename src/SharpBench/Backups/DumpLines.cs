namespace SharpBench.Backups;

/// <summary>
/// Reads a SQL dump line by line as bytes: a mariadb-dump writes each statement of data on one
/// line (its strings escape their newlines), so a line is a statement. A line lives in the buffer
/// until the next read; the buffer grows to the longest line, never to the dump.
/// </summary>
internal sealed class DumpLines(Stream source)
{
    private byte[] _buffer = new byte[1 << 20];
    private int _start, _end;
    private bool _eof;

    /// <summary>The next line without its newline, valid until the next call.</summary>
    public bool TryRead(out ReadOnlySpan<byte> line)
    {
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = _buffer.AsSpan(_start, scanned + newline);
                _start += scanned + newline + 1;
                return true;
            }
            scanned = _end - _start;
            if (_eof)
            {
                line = _buffer.AsSpan(_start, scanned);
                _start = _end;
                return scanned > 0;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, scanned);
                _start = 0;
                _end = scanned;
            }
            if (_end == _buffer.Length)
                Array.Resize(ref _buffer, _buffer.Length * 2);
            var n = source.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
                _eof = true;
            _end += n;
        }
    }
}
