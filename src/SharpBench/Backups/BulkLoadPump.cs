using System.Text;

namespace SharpBench.Backups;

/// <summary>
/// Feeds a dump to the client line by line and decides, INSERT statement by statement, whether
/// its rows go as SQL or through a LOAD DATA. A statement's lines are held until they pass
/// <see cref="MinRows"/> bytes, so a small table's statement reaches the client as
/// written; a larger one starts a load, and the statements that follow for the same table join
/// it. A row the conversion declines ends the load: it and the rest of its statement go as SQL,
/// after the rows already loaded, so the order of the dump is kept.
/// </summary>
internal sealed class BulkLoadPump(Stream client, Func<byte[], byte[], string, BulkLoad> start) : IDisposable
{
    /// <summary>A statement (or a run of them for one table) smaller than this goes as SQL: a LOAD DATA costs a named pipe and two statements, worth it only for a table of some size.</summary>
    internal const int MinRows = 64 * 1024;

    private enum Mode
    {
        /// <summary>Between statements.</summary>
        None,
        /// <summary>In a statement whose lines are held until it is known to be large.</summary>
        Holding,
        /// <summary>In a statement whose rows go to the open load.</summary>
        Loading,
        /// <summary>In a statement that goes as SQL to its end.</summary>
        Passing,
    }

    private readonly MemoryStream _held = new(), _heldRows = new(), _lineRows = new();
    private Mode _mode;
    private long _heldCount;
    private byte[] _table = [], _columns = [];
    private BulkLoad? _load;

    public string Charset { get; private set; } = "utf8mb4";

    public void Line(ReadOnlySpan<byte> line)
    {
        switch (_mode)
        {
            case Mode.None when InsertRows.TryParseHead(line, out var head):
                _table = head.Table(line).ToArray();
                _columns = head.Columns(line).ToArray();
                if (_load is not null && !_load.Takes(_table, _columns))
                    EndLoad();
                _mode = _load is null ? Mode.Holding : Mode.Loading;
                _held.SetLength(0);
                _heldRows.SetLength(0);
                _heldCount = 0;
                Rows(line, line[head.ValuesStart..], isHead: true);
                break;
            case Mode.None:
                if (SetNames(line) is { } charset)
                    Charset = charset;
                EndLoad();
                Send(line);
                break;
            case Mode.Passing:
                Send(line);
                if (EndsStatement(line))
                    _mode = Mode.None;
                break;
            default:
                Rows(line, line, isHead: false);
                break;
        }
    }

    /// <summary>The dump has ended: the last load is finished.</summary>
    public void End()
    {
        if (_mode == Mode.Holding)
            SendHeld();
        EndLoad();
    }

    private void Rows(ReadOnlySpan<byte> line, ReadOnlySpan<byte> values, bool isHead)
    {
        if (_mode == Mode.Loading)
        {
            _lineRows.SetLength(0);
            long count = 0;
            var rows = values.IsEmpty ? InsertRows.Rows.More : InsertRows.Convert(values, _lineRows, ref count);
            if (rows == InsertRows.Rows.Declined)
            {
                EndLoad();
                if (!isHead)
                    SendHead();
                Pass(line);
                return;
            }
            _load!.Write(_lineRows.GetBuffer().AsSpan(0, (int)_lineRows.Length), count);
            if (rows == InsertRows.Rows.End)
                _mode = Mode.None;
            return;
        }

        _held.Write(line);
        _held.WriteByte((byte)'\n');
        var result = values.IsEmpty ? InsertRows.Rows.More : InsertRows.Convert(values, _heldRows, ref _heldCount);
        if (result == InsertRows.Rows.Declined)
        {
            SendHeld();
            _mode = EndsStatement(line) ? Mode.None : Mode.Passing;
            return;
        }
        if (_held.Length >= MinRows)
        {
            _load = start(_table, _columns, Charset);
            _load.Write(_heldRows.GetBuffer().AsSpan(0, (int)_heldRows.Length), _heldCount);
            _mode = result == InsertRows.Rows.End ? Mode.None : Mode.Loading;
        }
        else if (result == InsertRows.Rows.End)
        {
            SendHeld();
            _mode = Mode.None;
        }
    }

    private void Pass(ReadOnlySpan<byte> line)
    {
        Send(line);
        _mode = EndsStatement(line) ? Mode.None : Mode.Passing;
    }

    /// <summary>A statement's rows cut short of a load go as SQL under their own INSERT head.</summary>
    private void SendHead()
    {
        client.Write("INSERT INTO "u8);
        client.Write(_table);
        if (_columns.Length > 0)
        {
            client.WriteByte((byte)' ');
            client.Write(_columns);
        }
        client.Write(" VALUES\n"u8);
    }

    private void SendHeld()
    {
        EndLoad();
        client.Write(_held.GetBuffer().AsSpan(0, (int)_held.Length));
        _held.SetLength(0);
    }

    private void Send(ReadOnlySpan<byte> line)
    {
        client.Write(line);
        client.WriteByte((byte)'\n');
    }

    private void EndLoad()
    {
        _load?.Finish();
        _load = null;
    }

    public void Dispose()
    {
        _held.Dispose();
        _heldRows.Dispose();
        _lineRows.Dispose();
    }

    /// <summary>The character set of a dump's <c>SET NAMES</c> line, which its LOAD DATA statements must name too.</summary>
    private static string? SetNames(ReadOnlySpan<byte> line)
    {
        var at = line.IndexOf("SET NAMES "u8);
        if (at < 0 || line.Length > 200)
            return null;
        var rest = line[(at + 10)..];
        var length = 0;
        while (length < rest.Length && (char.IsAsciiLetterOrDigit((char)rest[length]) || rest[length] == '_'))
            length++;
        return length > 0 ? Encoding.ASCII.GetString(rest[..length]) : null;
    }

    private static bool EndsStatement(ReadOnlySpan<byte> line) => line.TrimEnd("\r "u8).EndsWith(";"u8);
}
