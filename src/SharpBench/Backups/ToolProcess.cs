using System.Diagnostics;
using System.IO.Pipes;
using System.Text;
using SharpBench.Sites;

namespace SharpBench.Backups;

/// <summary>
/// Runs a database client (mariadb-dump, pg_dump, mariadb, psql) with its output streamed into,
/// or its input streamed from, a .NET stream: a dump never sits in memory. Passwords go through
/// the environment (MYSQL_PWD, PGPASSWORD), never the command line other users can read.
/// </summary>
public static class ToolProcess
{
    private const int OutputChunk = 1 << 20;

    public static Task RunToStreamAsync(string tool, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, Stream destination, CancellationToken ct) =>
        RunAsync(tool, args, env, p => PumpOutput(p, destination, ct), redirectIn: false, redirectOut: true, ct);

    /// <summary>
    /// Copies the tool's output on a thread of its own with blocking reads of up to a megabyte.
    /// mariadb-dump and pg_dump write 4 KiB at a time; woken for each, the copy costs the dump a
    /// third of its time. With the pipe enlarged to a megabyte, a short read means the tool is
    /// slower than us, so we pause 2 ms and let the pipe fill rather than be woken thousands of
    /// times. In a pipe of the default 64 KiB that pause would stall the tool, so without the
    /// larger pipe there is none.
    /// </summary>
    private static Task PumpOutput(Process process, Stream destination, CancellationToken ct)
    {
        var output = process.StandardOutput.BaseStream;
        var pause = output is PipeStream pipe && ToolPipes.TryEnlarge(pipe, OutputChunk);
        return Task.Factory.StartNew(() =>
        {
            using var source = ToolPipes.OpenForReading(output);
            // A blocking read does not watch the token: killing the tool ends it (end of file).
            using var stop = ct.Register(() => Kill(process));
            var buffer = new byte[OutputChunk];
            int n;
            while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                destination.Write(buffer, 0, n);
                if (pause && n < OutputChunk / 2)
                    Thread.Sleep(2);
            }
            ct.ThrowIfCancellationRequested();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public static Task RunFromStreamAsync(string tool, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, Stream source, CancellationToken ct) =>
        RunAsync(tool, args, env, async p =>
        {
            try
            {
                await source.CopyToAsync(p.StandardInput.BaseStream, 1 << 16, ct);
            }
            catch (IOException) when (p.HasExited)
            {
                // The client stopped reading because it failed; its exit code and message say why.
            }
            finally
            {
                try
                {
                    p.StandardInput.Close();
                }
                catch (IOException)
                {
                }
            }
        }, redirectIn: true, redirectOut: false, ct);

    /// <summary>
    /// Runs a client fed by <paramref name="pump"/> (which owns its standard input) and returns
    /// what it printed on standard output, up to 1 MB.
    /// </summary>
    internal static async Task<string> RunCapturingAsync(string tool, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, Func<Process, Task> pump, CancellationToken ct)
    {
        var output = new StringBuilder();
        await RunAsync(tool, args, env, pump, redirectIn: true, redirectOut: false, ct, output);
        return output.ToString();
    }

    private static async Task RunAsync(string tool, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, Func<Process, Task> pump, bool redirectIn, bool redirectOut, CancellationToken ct, StringBuilder? captureOut = null)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectIn,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in env)
            psi.Environment[k] = v;
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new BenchException($"Could not start {tool}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BenchException($"{tool} not found in PATH: it is needed for this database ({e.Message}).", e);
        }
        using (process)
        {
            var stderr = new StringBuilder();
            // Blocking reads on a thread of its own, for the reason ToolPipes.OpenForReading gives.
            var errTask = Task.Factory.StartNew(() =>
            {
                using var reader = new StreamReader(ToolPipes.OpenForReading(process.StandardError.BaseStream), process.StandardError.CurrentEncoding);
                var buffer = new char[4096];
                int n;
                while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
                {
                    lock (stderr)
                    {
                        if (stderr.Length < 16_000)
                            stderr.Append(buffer, 0, n);
                    }
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            // Output we do not consume is drained so the tool never blocks on a full pipe.
            var outTask = redirectOut ? Task.CompletedTask
                : captureOut is null ? process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None)
                : CaptureAsync(process.StandardOutput, captureOut);
            try
            {
                await pump(process);
                await process.WaitForExitAsync(ct);
            }
            catch
            {
                Kill(process);
                throw;
            }
            await errTask;
            await outTask;
            if (process.ExitCode != 0)
            {
                string text;
                lock (stderr)
                    text = stderr.ToString().Trim();
                throw new BenchException($"{tool} failed (exit code {process.ExitCode}): {(text.Length > 0 ? text : "no message")}");
            }
        }
    }

    private static async Task CaptureAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            if (into.Length < 1_000_000)
                into.Append(buffer, 0, n);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
