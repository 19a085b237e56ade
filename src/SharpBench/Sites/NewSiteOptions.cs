using SharpBench.Data;

namespace SharpBench.Sites;

public sealed record NewSiteOptions(string Site, string AdminPassword)
{
    public DbKind? DbType { get; init; }
    public string? DbHost { get; init; }
    public int? DbPort { get; init; }
    public string? RootUser { get; init; }
    public string? RootPassword { get; init; }
    public bool SetDefault { get; init; }
    public bool Force { get; init; }
    public bool EnableScheduler { get; init; }
}
