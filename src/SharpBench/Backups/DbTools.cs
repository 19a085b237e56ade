using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using SharpBench.Data;

namespace SharpBench.Backups;

/// <summary>Command-line arguments and environment for the database clients, from a connection's settings.</summary>
public static class DbTools
{
    public sealed record Login(string Host, int Port, string User, string Password, string Database);

    // One method per client library, so a MariaDB backup never loads Npgsql.
    public static Login Parse(DbConnectionInfo info) => info.Kind == DbKind.MariaDb ? MariaDb(info) : Postgres(info);

    private static Login MariaDb(DbConnectionInfo info)
    {
        var b = new MySqlConnectionStringBuilder(info.ConnectionString);
        // Over a Unix socket the host is the socket's path (MariaDbConnectArgs tells them apart).
        return new Login(b.Server, (int)b.Port, b.UserID, b.Password, b.Database);
    }

    private static Login Postgres(DbConnectionInfo info)
    {
        var n = new NpgsqlConnectionStringBuilder(info.ConnectionString);
        return new Login(n.Host ?? "127.0.0.1", n.Port, n.Username ?? "", n.Password ?? "", n.Database ?? "");
    }

    /// <summary>
    /// The same login as <see cref="Parse"/> reads back from a site's connection string, taken
    /// from its config instead: a backup then starts mariadb-dump without loading MySqlConnector.
    /// </summary>
    internal static Login For(DbLogin login)
    {
        var e = login.Endpoint;
        if (e.Kind == DbKind.MariaDb)
            return new Login(e.Socket ?? e.Host, e.Port, login.User, login.Password, login.Database);
        var (host, port) = e.Socket is null ? (e.Host, e.Port) : e.PostgresSocket();
        return new Login(host, port, login.User, login.Password, login.Database);
    }

    public static string SqlitePath(DbConnectionInfo info) => new SqliteConnectionStringBuilder(info.ConnectionString).DataSource;

    public static Dictionary<string, string> Env(DbKind kind, Login login) => kind == DbKind.MariaDb
        ? new() { ["MYSQL_PWD"] = login.Password }
        : new() { ["PGPASSWORD"] = login.Password, ["PGCONNECT_TIMEOUT"] = "10" };

    public static List<string> MariaDbConnectArgs(Login l) => l.Host.StartsWith('/')
        ? ["--protocol=socket", "--socket=" + l.Host, "-u", l.User]
        : ["-h", l.Host, "-P", l.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-u", l.User];

    public static List<string> PostgresConnectArgs(Login l) => ["-h", l.Host, "-p", l.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", l.User, "-d", l.Database];
}
