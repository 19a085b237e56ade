using System.Globalization;

namespace SharpBench;

/// <summary>
/// A role's heartbeat on the local file system, for container healthchecks that must not start a
/// .NET process: each successful self-check of a long-running role (a worker's Redis heartbeat,
/// a scheduler's lease refresh, a web role answering its own <c>/healthz</c>) rewrites
/// <c>$SHARPBENCH_HEALTH_DIR/&lt;role&gt;</c> (default <c>$TMPDIR/sharpbench-health</c>, which in a
/// container is the container's own). The file's first word is the age in seconds past which the
/// role counts as unhealthy, so the probe (<c>heartbeat-check ROLE</c> in the image: a shell
/// <c>stat</c>) needs no knowledge of the role's intervals.
/// </summary>
internal sealed class HealthFile
{
    public const string DirectoryVariable = "SHARPBENCH_HEALTH_DIR";

    private readonly string _path;
    private readonly int _maxAgeSeconds;
    private readonly string _role;
    private int _failedOnce;

    public HealthFile(string role, TimeSpan maxAge, string? directory = null)
    {
        _role = role;
        _maxAgeSeconds = Math.Max(1, (int)Math.Ceiling(maxAge.TotalSeconds));
        var dir = directory ?? Directory();
        _path = Path.Combine(dir, role);
        try
        {
            System.IO.Directory.CreateDirectory(dir);
            // A beat of the process this container ran before a restart must not count for this one.
            File.Delete(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Reported by the first Beat that fails the same way.
        }
    }

    public string FilePath => _path;

    /// <summary>The folder every role of this process writes its file into.</summary>
    public static string Directory() =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir ? dir : Path.Combine(Path.GetTempPath(), "sharpbench-health");

    /// <summary>
    /// Records a successful self-check. Never throws: a file that cannot be written makes the
    /// container unhealthy, which is the right signal, and the reason goes to <paramref name="warn"/> once.
    /// </summary>
    public void Beat(Action<string>? warn = null)
    {
        try
        {
            // Written beside and renamed over: a probe reading at that moment sees the old file or
            // the new one, never the empty file a rewrite in place leaves for an instant.
            var temp = string.Create(CultureInfo.InvariantCulture, $"{_path}.{Environment.ProcessId}.tmp");
            File.WriteAllText(temp, string.Create(CultureInfo.InvariantCulture, $"{_maxAgeSeconds} {_role} pid {Environment.ProcessId}\n"));
            File.Move(temp, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (Interlocked.Exchange(ref _failedOnce, 1) == 0)
                warn?.Invoke($"Cannot write the {_role} health file {_path}: {e.Message} (the container's healthcheck will fail; set {DirectoryVariable} to a writable folder)");
        }
    }
}
