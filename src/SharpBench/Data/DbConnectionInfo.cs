using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace SharpBench.Data;

/// <summary>Where a site's database lives and how to log in, derived from its merged config.</summary>
public sealed record DbConnectionInfo(DbKind Kind, string ConnectionString, string Describe)
{
    /// <summary>The SQLite file of a site, inside the site folder so backups of the folder hold it.</summary>
    public static string SqlitePath(string sitePath, string dbName) => Path.Combine(sitePath, "db", dbName + ".sqlite3");

    public static DbConnectionInfo Sqlite(string path) =>
        // Our own pool (ConnectionPool) keeps connections open; closing one must release the file.
        new(DbKind.Sqlite, new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString(), path);

    public static DbConnectionInfo Server(DbKind kind, string host, int port, string user, string password, string? database) =>
        Server(new DbEndpoint(kind, host, port), user, password, database);

    // One method per client library: a command on a MariaDB site then never loads Npgsql (and
    // the other way round), which a one-shot command like backup would pay for at start.
    internal static DbConnectionInfo Server(DbEndpoint endpoint, string user, string password, string? database) =>
        endpoint.Kind == DbKind.MariaDb ? MariaDb(endpoint, user, password, database) : Postgres(endpoint, user, password, database);

    private static DbConnectionInfo MariaDb(DbEndpoint endpoint, string user, string password, string? database)
    {
        var b = new MySqlConnectionStringBuilder
        {
            Server = endpoint.Socket ?? endpoint.Host,
            Port = (uint)endpoint.Port,
            UserID = user,
            Password = password,
            Database = database ?? "",
            CharacterSet = "utf8mb4",
            ConnectionTimeout = 10,
            AllowUserVariables = true,
            // Frappe reads datetimes as naive local values; so do we.
            DateTimeKind = MySqlDateTimeKind.Unspecified,
            ConvertZeroDateTime = true,
            // Database prepares the statements a connection repeats (see Database.Command).
            IgnorePrepare = false,
        };
        if (endpoint.Socket is not null)
            b.ConnectionProtocol = MySqlConnectionProtocol.UnixSocket;
        return new(endpoint.Kind, b.ToString(), endpoint.Describe);
    }

    private static DbConnectionInfo Postgres(DbEndpoint endpoint, string user, string password, string? database)
    {
        var (host, port) = endpoint.Socket is null ? (endpoint.Host, endpoint.Port) : endpoint.PostgresSocket();
        var n = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = port,
            Username = user,
            Password = password,
            Database = database ?? "postgres",
            Timeout = 10,
        };
        return new(endpoint.Kind, n.ToString(), endpoint.Describe);
    }
}
