using System.Runtime.InteropServices;

namespace SharpBench.Cli;

/// <summary>
/// The web roles want tiered compilation's call counting to start at once; every other command
/// wants the runtime's default delay. The setting is read once, when the runtime starts, so a web
/// role started without it replaces itself (execve: same process id, same arguments) with the
/// same executable and <c>DOTNET_TC_CallCountingDelayMs=0</c> in its environment.
/// <para>
/// Why each: a server under sustained load otherwise recompiles its hot connection path (about
/// 800 methods, 0.3 s of CPU) in the background at its second burst of clients instead of the
/// first (docs/benchmarks.md, the realtime rounds). A command that lives half a second spends up
/// to 40 % of its CPU on those recompiles with no delay (a backup: 14 % of its wall time on two
/// cores), and so does every role while a stack starts.
/// </para>
/// </summary>
internal static partial class WebRoleTiering
{
    private const string Variable = "DOTNET_TC_CallCountingDelayMs";
    private static readonly string[] WebRoles = ["serve", "socketio", "start"];

    /// <summary>Returns only when the process keeps its settings: not a web role, already set, or not started from its own executable.</summary>
    public static void Apply(string[] args)
    {
        if (!OperatingSystem.IsLinux() || Array.IndexOf(WebRoles, CliContext.CommandName(args)) < 0)
            return;
        if (Environment.GetEnvironmentVariable(Variable) is not null)
            return;
        // Under `dotnet bench.dll` the host's own arguments are not ours to repeat: keep the default there.
        var path = Environment.ProcessPath;
        if (path is null || Path.GetFileName(path) != "bench")
            return;
        var environment = new List<string?>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            environment.Add($"{e.Key}={e.Value}");
        environment.Add(Variable + "=0");
        environment.Add(null);
        string?[] argv = [path, .. args, null];
        Console.Out.Flush();
        execve(path, argv, [.. environment]);
        // Only a failed execve returns: the role runs on with the default delay, which is slower
        // under load but correct.
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int execve(string path, string?[] argv, string?[] envp);
}
