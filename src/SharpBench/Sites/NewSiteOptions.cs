using SharpBench.Data;

namespace SharpBench.Sites;

public sealed record NewSiteOptions(string Site, string AdminPassword)
{
    public DbKind? DbType { get; init; }
    public string? DbHost { get; init; }
    public int? DbPort { get; init; }

    /// <summary>The server's Unix socket (Frappe's <c>--db-socket</c>, written as <c>db_socket</c>).</summary>
    public string? DbSocket { get; init; }
    public string? RootUser { get; init; }
    public string? RootPassword { get; init; }
    public bool SetDefault { get; init; }
    public bool Force { get; init; }
    public bool EnableScheduler { get; init; }

    /// <summary>
    /// Apps of the bench to install besides the core app (Frappe's repeatable <c>--install-app</c>),
    /// after those of the common config's <c>install_apps</c>.
    /// </summary>
    public IReadOnlyList<string> InstallApps { get; init; } = [];
}
