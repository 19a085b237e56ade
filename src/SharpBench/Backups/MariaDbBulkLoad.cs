using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SharpBench.Backups;

/// <summary>
/// Loads a mariadb-dump backup through the <c>mariadb</c> client as a plain restore does, except
/// that each table's large INSERT lines become one <c>LOAD DATA LOCAL INFILE</c> whose rows this
/// process writes into a named pipe the client reads (<see cref="InsertRows"/>). Every other
/// statement reaches the client unchanged and in order. After each such load the client reports
/// its warnings and row count; a load that warned or lost a row fails with
/// <see cref="BulkLoadRefusedException"/>, and the caller loads the dump again as plain SQL.
/// </summary>
internal static class MariaDbBulkLoad
{
    public static bool Available => OperatingSystem.IsLinux();

    public static async Task RunAsync(string tool, List<string> args, IReadOnlyDictionary<string, string> env, Stream sql, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("sb-load-");
        var loads = new List<BulkLoad>();
        try
        {
            string output;
            try
            {
                output = await ToolProcess.RunCapturingAsync(tool, [.. args, "--local-infile=1", "--skip-column-names"], env,
                    process => Task.Factory.StartNew(() => Pump(process, sql, folder.FullName, loads, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default), ct);
            }
            catch (BenchException e) when (e.Message.Contains("local infile", StringComparison.OrdinalIgnoreCase))
            {
                throw new BulkLoadRefusedException("The database server does not take LOAD DATA LOCAL (local_infile is off).", e);
            }
            Check(output, loads);
        }
        finally
        {
            foreach (var load in loads)
                load.Dispose();
            folder.Delete(recursive: true);
        }
    }

    private static void Pump(Process process, Stream sql, string folder, List<BulkLoad> loads, CancellationToken ct)
    {
        var stdin = process.StandardInput.BaseStream;
        // One write per 64 KiB rather than per line: most lines are a row.
        var client = new BufferedStream(stdin, 1 << 16);
        using var pump = new BulkLoadPump(client, (table, columns, charset) =>
        {
            var load = BulkLoad.Start(process, client, folder, loads.Count + 1, table, columns, charset);
            loads.Add(load);
            return load;
        });
        try
        {
            var lines = new DumpLines(sql);
            while (lines.TryRead(out var line))
            {
                ct.ThrowIfCancellationRequested();
                pump.Line(line);
            }
            pump.End();
            client.Flush();
        }
        catch (IOException) when (process.HasExited)
        {
            // The client stopped reading because it failed; its exit code and message say why.
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Every load must have reported no warnings and as many rows as were written.</summary>
    private static void Check(string output, List<BulkLoad> loads)
    {
        var reported = new Dictionary<int, (long Warnings, long Loaded)>();
        foreach (var line in output.Split('\n'))
        {
            var f = line.TrimEnd('\r').Split('\t');
            // The tag, the load's number, the rows written, its warnings, the rows it took.
            if (f.Length == 5 && f[0] == BulkLoad.CheckTag
                && int.TryParse(f[1], CultureInfo.InvariantCulture, out var n)
                && long.TryParse(f[3], CultureInfo.InvariantCulture, out var warnings)
                && long.TryParse(f[4], CultureInfo.InvariantCulture, out var loaded))
            {
                reported[n] = (warnings, loaded);
            }
        }
        foreach (var load in loads)
        {
            var table = Encoding.UTF8.GetString(load.Table);
            if (!reported.TryGetValue(load.Number, out var r))
                throw new BulkLoadRefusedException($"The load of {table} did not report back.");
            if (r.Warnings != 0 || r.Loaded != load.Count)
                throw new BulkLoadRefusedException($"The load of {table} took {r.Loaded} of {load.Count} rows with {r.Warnings} warnings.");
        }
    }
}

/// <summary>The fast load could not vouch for its result; the dump is to be loaded again as plain SQL.</summary>
internal sealed class BulkLoadRefusedException(string message, Exception? inner = null) : BenchException(message, inner);
