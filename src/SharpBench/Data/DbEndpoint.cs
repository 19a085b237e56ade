using SharpBench.Sites;

namespace SharpBench.Data;

/// <summary>
/// Where a database server listens: a host and port, or a Unix socket (Frappe's <c>db_socket</c>).
/// A socket skips the TCP stack on both ends of every round trip. For MariaDB it is the socket
/// file; for PostgreSQL the folder holding <c>.s.PGSQL.&lt;port&gt;</c> (as libpq takes it), or
/// that file itself, whose name then gives the port.
/// </summary>
internal sealed record DbEndpoint(DbKind Kind, string Host, int Port, string? Socket = null)
{
    public static DbEndpoint FromConfig(SiteConfig config, DbKind kind) => new(
        kind,
        config.GetString("db_host") ?? "127.0.0.1",
        config.GetInt("db_port") ?? kind.DefaultPort(),
        string.IsNullOrWhiteSpace(config.GetString("db_socket")) ? null : config.GetString("db_socket"));

    public string Describe => Socket is null ? $"{Kind.ConfigName()} at {Host}:{Port}" : $"{Kind.ConfigName()} at {Socket}";

    /// <summary>PostgreSQL's socket folder and port, from either spelling of <see cref="Socket"/>.</summary>
    internal (string Folder, int Port) PostgresSocket()
    {
        var name = Path.GetFileName(Socket!.TrimEnd('/'));
        const string prefix = ".s.PGSQL.";
        if (name.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
            return (Path.GetDirectoryName(Socket.TrimEnd('/'))!, port);
        return (Socket, Port);
    }
}
