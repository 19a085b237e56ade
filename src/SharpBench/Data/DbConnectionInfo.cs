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

    public static DbConnectionInfo Server(DbKind kind, string host, int port, string user, string password, string? database)
    {
        var describe = $"{kind.ConfigName()} at {host}:{port}";
        if (kind == DbKind.MariaDb)
        {
            var b = new MySqlConnectionStringBuilder
            {
                Server = host,
                Port = (uint)port,
                UserID = user,
                Password = password,
                Database = database ?? "",
                CharacterSet = "utf8mb4",
                ConnectionTimeout = 10,
                AllowUserVariables = true,
                // Frappe reads datetimes as naive local values; so do we.
                DateTimeKind = MySqlDateTimeKind.Unspecified,
                ConvertZeroDateTime = true,
            };
            return new(kind, b.ToString(), describe);
        }
        var n = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = port,
            Username = user,
            Password = password,
            Database = database ?? "postgres",
            Timeout = 10,
        };
        return new(kind, n.ToString(), describe);
    }
}
