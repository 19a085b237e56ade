namespace SharpBench.Backups;

/// <summary><c>bench backup</c>'s options, as Frappe's.</summary>
public sealed record BackupOptions
{
    public bool WithFiles { get; init; }
    public bool Compress { get; init; }
    /// <summary>A folder for every file (else <c>backup_path</c> from config, else <c>{site}/private/backups</c>).</summary>
    public string? BackupPath { get; init; }
    public IReadOnlyList<string> Include { get; init; } = [];
    public IReadOnlyList<string> Exclude { get; init; } = [];
}

/// <summary>The files one backup wrote (null where it wrote none).</summary>
public sealed record BackupSet(string Database, string Config, string? PublicFiles, string? PrivateFiles, bool Encrypted)
{
    public IEnumerable<string> Files => new[] { Config, Database, PublicFiles, PrivateFiles }.OfType<string>();
}
