using System.IO.Compression;
using System.Text;
using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench.Backups;

/// <summary>
/// Reads a database backup (gzip of SQL with Frappe's header): checks it whole before anything
/// is touched, and streams it into a database through the server's own client.
/// </summary>
public static class DatabaseLoad
{
    private static readonly string[] CompleteMarkers =
    [
        BackupMetadata.DumpCompleteMarker,
        "-- Dump completed",                       // mariadb-dump / mysqldump (a Frappe backup)
        "-- PostgreSQL database dump complete",    // pg_dump
    ];

    /// <summary>
    /// Decompresses the whole file (gzip's checksum catches corruption), reads its header, and
    /// requires the dump tool's closing line, so a truncated dump is refused.
    /// </summary>
    public static async Task<BackupMetadata> ValidateAsync(string path, CancellationToken ct)
    {
        var head = new List<string>();
        var tail = new Queue<string>();
        try
        {
            await using var file = File.OpenRead(path);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8, false, 1 << 16);
            string? line;
            while ((line = await reader.ReadLineAsync(ct)) is not null)
            {
                if (head.Count < 40)
                    head.Add(line);
                if (line.Length == 0)
                    continue;
                tail.Enqueue(line);
                if (tail.Count > 4)
                    tail.Dequeue();
            }
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Damaged(path, e);
        }
        if (!tail.Any(l => CompleteMarkers.Any(m => l.StartsWith(m, StringComparison.Ordinal))))
            throw Incomplete(path);
        return BackupMetadata.Read(head);
    }

    /// <summary>
    /// Reads only the header, for a restore whose load is checked as it goes
    /// (<see cref="LoadCheckedAsync"/>) into a scratch database that a failure throws away: the
    /// whole-file read of <see cref="ValidateAsync"/> would cost a second pass over the dump.
    /// </summary>
    internal static async Task<BackupMetadata> ReadHeaderAsync(string path, CancellationToken ct)
    {
        var head = new List<string>();
        try
        {
            await using var file = File.OpenRead(path);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8, false, 1 << 16);
            string? line;
            while (head.Count < 40 && (line = await reader.ReadLineAsync(ct)) is not null)
                head.Add(line);
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Damaged(path, e);
        }
        return BackupMetadata.Read(head);
    }

    private static bool IsDamage(Exception e) =>
        e is InvalidDataException or EndOfStreamException or IOException and not FileNotFoundException and not DirectoryNotFoundException;

    private static BenchException Damaged(string path, Exception e) =>
        new($"{Path.GetFileName(path)} is damaged or incomplete ({e.Message}). Nothing was changed.", e);

    private static BenchException Incomplete(string path) =>
        new($"{Path.GetFileName(path)} is incomplete: the dump does not end with its closing line (a truncated or unfinished backup). Nothing was changed.");

    /// <summary>
    /// Loads a backup into the database <paramref name="info"/> points at, checking it again as it
    /// goes (the file could change after <see cref="ValidateAsync"/>): a gzip error, or a dump without
    /// its closing line, fails the load, and the caller throws away the scratch database.
    /// </summary>
    public static Task LoadCheckedAsync(DbConnectionInfo info, string path, CancellationToken ct) => LoadCheckedAsync(info, path, bulk: false, ct);

    /// <summary>
    /// With <paramref name="bulk"/>, a MariaDB dump's large tables load through LOAD DATA
    /// (<see cref="MariaDbBulkLoad"/>), which may end in <see cref="BulkLoadRefusedException"/>: only
    /// for a scratch database the caller can empty and load again as plain SQL.
    /// </summary>
    internal static async Task LoadCheckedAsync(DbConnectionInfo info, string path, bool bulk, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tail = new TailStream(gzip);
        try
        {
            await LoadStreamAsync(info, tail, bulk, ct);
        }
        catch (InvalidDataException e)
        {
            throw Damaged(path, e);
        }
        catch (BenchException)
        {
            // A dump cut mid-statement makes the client fail on broken SQL; say what is wrong with
            // the file rather than what the client made of it. The rest is read to tell the two apart.
            try
            {
                await tail.CopyToAsync(Stream.Null, ct);
            }
            catch (Exception e) when (IsDamage(e))
            {
                throw Damaged(path, e);
            }
            if (!EndsComplete(tail))
                throw Incomplete(path);
            throw;
        }
        if (!EndsComplete(tail))
            throw Incomplete(path);
    }

    private static bool EndsComplete(TailStream tail)
    {
        var end = tail.Tail();
        return CompleteMarkers.Any(m => end.Contains("\n" + m, StringComparison.Ordinal));
    }

    /// <summary>Loads a validated backup into the database <paramref name="info"/> points at.</summary>
    public static async Task LoadAsync(DbConnectionInfo info, string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await LoadStreamAsync(info, gzip, bulk: false, ct);
    }

    private static async Task LoadStreamAsync(DbConnectionInfo info, Stream gzip, bool bulk, CancellationToken ct)
    {
        switch (info.Kind)
        {
            case DbKind.Sqlite:
                using (var reader = new StreamReader(gzip, Encoding.UTF8, false, 1 << 16))
                {
                    try
                    {
                        await SqliteDump.LoadAsync(DbTools.SqlitePath(info), reader, ct);
                    }
                    catch (Microsoft.Data.Sqlite.SqliteException e)
                    {
                        throw new BenchException($"The database backup could not be loaded: {e.Message}", e);
                    }
                }
                break;
            case DbKind.MariaDb:
                {
                    var login = DbTools.Parse(info);
                    var args = DbTools.MariaDbConnectArgs(login);
                    args.AddRange(["--default-character-set=utf8mb4", "--batch", "-D", login.Database]);
                    if (bulk && MariaDbBulkLoad.Available)
                        await MariaDbBulkLoad.RunAsync(DatabaseDump.Tool("mariadb", "mysql"), args, DbTools.Env(info.Kind, login), gzip, ct);
                    else
                        await ToolProcess.RunFromStreamAsync(DatabaseDump.Tool("mariadb", "mysql"), args, DbTools.Env(info.Kind, login), gzip, ct);
                    break;
                }
            default:
                {
                    var login = DbTools.Parse(info);
                    var args = new List<string> { "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction" };
                    args.AddRange(DbTools.PostgresConnectArgs(login));
                    await ToolProcess.RunFromStreamAsync("psql", args, DbTools.Env(info.Kind, login), gzip, ct);
                    break;
                }
        }
    }
}
