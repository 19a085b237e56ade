using System.Diagnostics;
using System.Globalization;

namespace SharpBench.Tests.Faults;

/// <summary>
/// Settings and reporting shared by the fault experiments (tests/faults/README.md). Short mode (the
/// default, run by ./test.sh and CI) runs each experiment once, a few seconds each;
/// <c>FAULTS_SOAK=1</c> runs three rounds at higher rates. Each experiment prints one line of
/// counts, <c>FAULTS experiment: key=value …</c>, to the test output and to
/// <c>$FAULTS_REPORT</c> when set (tests/faults/run.sh collects them).
/// </summary>
internal static class FaultSuite
{
    public static bool Soak => Environment.GetEnvironmentVariable("FAULTS_SOAK") is "1" or "true";

    public static int Rounds => Soak ? 3 : 1;

    public static void Report(ITestOutputHelper output, string experiment, params (string Key, object Value)[] counts)
    {
        var line = $"FAULTS {experiment}: " + string.Join(" ", counts.Select(c => c.Key + "=" + Convert.ToString(c.Value, CultureInfo.InvariantCulture)));
        output.WriteLine(line);
        Console.WriteLine(line);
        if (Environment.GetEnvironmentVariable("FAULTS_REPORT") is { Length: > 0 } file)
        {
            lock (Gate)
                File.AppendAllText(file, line + "\n");
        }
    }

    private static readonly Lock Gate = new();

    public static Stopwatch Clock() => Stopwatch.StartNew();
}
