using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace SharpBench.Backups;

/// <summary>
/// One table's LOAD DATA LOCAL INFILE in a restore: the statement goes to the client, and the
/// rows go through a named pipe of their own that the client reads as the file (a pipe per load,
/// so the client can never read one table's rows into another's load).
/// </summary>
internal sealed partial class BulkLoad : IDisposable
{
    /// <summary>The first column of the line each load's report prints on the client's output.</summary>
    internal const string CheckTag = "sb-bulk-load";

    private readonly Stream _client;
    private readonly FileStream _rows;

    private BulkLoad(int number, byte[] table, byte[] columns, FileStream rows, Stream client)
    {
        Number = number;
        Table = table;
        Columns = columns;
        _rows = rows;
        _client = client;
    }

    public int Number { get; }
    public byte[] Table { get; }
    public byte[] Columns { get; }
    public long Count { get; private set; }

    public bool Takes(byte[] table, byte[] columns) => table.AsSpan().SequenceEqual(Table) && columns.AsSpan().SequenceEqual(Columns);

    /// <summary>Sends the statement and opens the pipe once the client has opened it to read.</summary>
    public static BulkLoad Start(Process process, Stream client, string folder, int number, byte[] table, byte[] columns, string charset)
    {
        var path = Path.Combine(folder, "rows-" + number.ToString(CultureInfo.InvariantCulture));
        if (mkfifo(path, 0x180) != 0)
            throw new IOException($"Could not make the named pipe {path} (errno {Marshal.GetLastPInvokeError()}).");
        var statement = new StringBuilder()
            .Append("LOAD DATA LOCAL INFILE '").Append(path).Append("' INTO TABLE ").Append(Encoding.UTF8.GetString(table))
            .Append(" CHARACTER SET ").Append(charset)
            .Append(@" FIELDS TERMINATED BY '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n' ")
            .Append(Encoding.UTF8.GetString(columns)).Append(";\n").ToString();
        client.Write(Encoding.UTF8.GetBytes(statement));
        client.Flush();
        var rows = OpenForWriting(path, process) ?? throw new IOException("The database client exited before it read the rows.");
        return new BulkLoad(number, table, columns, rows, client);
    }

    public void Write(ReadOnlySpan<byte> rows, long count)
    {
        _rows.Write(rows);
        Count += count;
    }

    /// <summary>Closes the pipe, which ends the client's file, and asks the client to report on the load.</summary>
    public void Finish()
    {
        _rows.Dispose();
        _client.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"SELECT '{CheckTag}', {Number}, {Count}, @@warning_count, ROW_COUNT();\n")));
    }

    public void Dispose() => _rows.Dispose();

    /// <summary>
    /// A non-blocking open of a pipe nobody reads fails, and is retried: a client that failed
    /// before it reached the statement cannot hang the restore.
    /// </summary>
    private static FileStream? OpenForWriting(string path, Process process)
    {
        while (true)
        {
            var fd = open(path, OWronly | ONonblock | OCloexec);
            if (fd >= 0)
            {
                var flags = fcntl(fd, FGetfl, 0);
                fcntl(fd, FSetfl, flags & ~ONonblock);
                // A 1 MiB pipe: the client drains it in large reads instead of waking for every 64 KiB.
                fcntl(fd, FSetpipeSz, 1 << 20);
                return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 0);
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Enxio)
                throw new IOException($"Could not open the named pipe {path} (errno {errno}).");
            if (process.HasExited)
                return null;
            Thread.Sleep(1);
        }
    }

    private const int OWronly = 0x1, ONonblock = 0x800, OCloexec = 0x80000;
    private const int FGetfl = 3, FSetfl = 4, FSetpipeSz = 1031, Enxio = 6;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkfifo(string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int cmd, int arg);
}
