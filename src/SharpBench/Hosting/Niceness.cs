using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace SharpBench.Hosting;

/// <summary>
/// Background roles (<c>bench worker</c>, <c>bench schedule</c>) run at a lower CPU priority than
/// the web, as Frappe's do: their niceness goes up by <c>background_process_niceness</c> from
/// common config, or 10 when it is unset or 0.
/// </summary>
public static partial class Niceness
{
    public const int DefaultIncrement = 10;

    public static int Increment(Sites.SiteConfig common) =>
        common.GetInt("background_process_niceness") is { } n && n != 0 ? n : DefaultIncrement;

    /// <summary>What a background role calls at start; a refusal is logged and the role goes on.</summary>
    public static void RaiseForBackgroundRole(Sites.Bench bench, ILogger logger)
    {
        var increment = Increment(new Sites.SiteConfig(bench.ReadCommonConfig()));
        if (!Raise(increment))
            logger.LogWarning("Could not change this process's niceness by {Increment} (background_process_niceness)", increment);
    }

    /// <summary>
    /// Raises the niceness of every thread of this process by <paramref name="increment"/>. Linux
    /// keeps a niceness per thread and a new thread takes its creator's, so the runtime's threads
    /// that already exist are changed one by one; once all are, every later thread inherits it.
    /// Returns false when the kernel refused (e.g. a negative increment without privilege).
    /// </summary>
    public static bool Raise(int increment)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        var done = new HashSet<int>();
        var ok = true;
        // A second pass catches threads created while the first one ran.
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var tid) || !done.Add(tid))
                    continue;
                Marshal.SetLastPInvokeError(0);
                var current = getpriority(PrioProcess, tid);
                if (current == -1 && Marshal.GetLastPInvokeError() != 0)
                    continue; // the thread has exited
                var target = Math.Clamp(current + increment, -20, 19);
                ok &= setpriority(PrioProcess, tid, target) == 0;
            }
        }
        return ok;
    }

    private const int PrioProcess = 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getpriority(int which, int who);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);
}
