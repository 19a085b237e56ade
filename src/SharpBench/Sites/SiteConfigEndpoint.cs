using SharpBench.Data;

namespace SharpBench.Sites;

internal static class SiteConfigEndpoint
{
    /// <summary>The database server a (site or common) config names: <c>db_host</c>/<c>db_port</c>, or <c>db_socket</c>.</summary>
    public static DbEndpoint DbEndpoint(this SiteConfig config, DbKind kind) =>
        Data.DbEndpoint.From(kind, config.GetString("db_host"), config.GetInt("db_port"), config.GetString("db_socket"));
}
