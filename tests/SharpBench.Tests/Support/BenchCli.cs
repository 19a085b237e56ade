using System.Diagnostics;

namespace SharpBench.Tests.Support;

/// <summary>Runs the real <c>bench</c> executable (built next to the tests) in a bench folder.</summary>
public static class BenchCli
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "bench.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

    public static ProcessStartInfo StartInfo(string benchRoot, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = benchRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment.Remove("FRAPPE_SITE");
        return psi;
    }

    public static Task<Result> RunAsync(string benchRoot, params string[] args) => RunAsync(benchRoot, new Dictionary<string, string>(), args);

    public static async Task<Result> RunAsync(string benchRoot, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var psi = StartInfo(benchRoot, args);
        foreach (var (k, v) in env)
            psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
