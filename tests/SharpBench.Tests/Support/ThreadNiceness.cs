namespace SharpBench.Tests.Support;

/// <summary>Niceness as Linux keeps it: per thread, read from <c>/proc</c>.</summary>
internal static class ThreadNiceness
{
    public static int Own() => Read("/proc/self/stat");

    /// <summary>The niceness of every thread of process <paramref name="pid"/>.</summary>
    public static List<int> Of(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task").Select(t => Read(Path.Combine(t, "stat"))).ToList();

    private static int Read(string statPath)
    {
        // Fields after the command (which is in parentheses and may hold spaces): nice is field 19.
        var stat = File.ReadAllText(statPath);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
