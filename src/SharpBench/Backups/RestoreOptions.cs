using SharpBench.Data;

namespace SharpBench.Backups;

/// <summary><c>bench restore</c>'s options, as Frappe's, plus where a new site's database goes.</summary>
public sealed record RestoreOptions(string DatabaseFile)
{
    public string? PublicFiles { get; init; }
    public string? PrivateFiles { get; init; }
    public string? RootUser { get; init; }
    public string? RootPassword { get; init; }
    public string? EncryptionKey { get; init; }
    /// <summary>For a site that does not exist yet: its database server (else common config's).</summary>
    public string? DbHost { get; init; }
    public int? DbPort { get; init; }
    public string? AdminPassword { get; init; }
    /// <summary>Restore a backup from a newer schema anyway (for a site that will be migrated by a newer release).</summary>
    public bool Force { get; init; }
    public bool SkipMigrate { get; init; }
}
