namespace SharpBench.Data;

/// <summary>
/// Where a database server listens: a host and port, or a Unix socket (Frappe's <c>db_socket</c>).
/// A socket skips the TCP stack on both ends of every round trip. For MariaDB it is the socket
/// file; for PostgreSQL the folder holding <c>.s.PGSQL.&lt;port&gt;</c> (as libpq takes it), or
/// that file itself, whose name then gives the port.
/// </summary>
internal sealed record DbEndpoint(DbKind Kind, string Host, int Port, string? Socket = null)
{
    /// <summary>From a config's <c>db_host</c>, <c>db_port</c> and <c>db_socket</c>, each possibly unset.</summary>
    public static DbEndpoint From(DbKind kind, string? host, int? port, string? socket) => new(
        kind, host ?? "127.0.0.1", port ?? kind.DefaultPort(), string.IsNullOrWhiteSpace(socket) ? null : socket);

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
