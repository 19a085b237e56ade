using System.Diagnostics;
using SharpBench.Sites;

namespace SharpBench.Cli.Apps;

/// <summary>Runs git or dotnet for the app commands, capturing what they print.</summary>
internal static class ToolRun
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string program, IEnumerable<string> args, string? workingDirectory, CancellationToken ct, IReadOnlyDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        // Never wait for a password prompt: a private repository without a token fails at once.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_ASKPASS"] = "";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
            start.Environment[k] = v;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BenchException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new BenchException(program == "dotnet"
                ? "dotnet (the .NET 10 SDK) was not found on PATH: apps are compiled with it (in a container, build a custom image instead: docs/apps.md)."
                : $"{program} was not found on PATH.");
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return new Result(process.ExitCode, (await stdout) + (await stderr));
        }
    }
}
