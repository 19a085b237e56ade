using System.Diagnostics;
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
    public static Task RunToStreamAsync(string tool, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, Stream destination, CancellationToken ct) =>
        RunAsync(tool, args, env, p => p.StandardOutput.BaseStream.CopyToAsync(destination, 1 << 16, ct), redirectIn: false, redirectOut: true, ct);

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
            var errTask = Task.Run(async () =>
            {
                var buffer = new char[4096];
                int n;
                while ((n = await process.StandardError.ReadAsync(buffer, CancellationToken.None)) > 0)
                {
                    lock (stderr)
                    {
                        if (stderr.Length < 16_000)
                            stderr.Append(buffer, 0, n);
                    }
                }
            }, CancellationToken.None);
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
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
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
}
