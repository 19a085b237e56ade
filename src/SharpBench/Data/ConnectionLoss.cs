using System.Data.Common;
using System.Net.Sockets;

namespace SharpBench.Data;

/// <summary>
/// Tells a lost database connection (the server closed it: KILL, pg_terminate_backend, a restart,
/// a proxy's idle cut) from an error the server reported about the statement itself. Only the
/// first kind may be healed by reconnecting, and only before the transaction wrote anything.
/// </summary>
internal static class ConnectionLoss
{
    // PostgreSQL's "terminating connection due to administrator command", crash shutdown, and
    // "the database system is starting up / shutting down".
    private static readonly HashSet<string> PostgresLost = ["57P01", "57P02", "57P03"];

    public static bool IsLost(Exception error, DbConnection connection)
    {
        if (connection.State is System.Data.ConnectionState.Broken or System.Data.ConnectionState.Closed)
            return true;
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case IOException or SocketException or EndOfStreamException or ObjectDisposedException:
                    return true;
                case Npgsql.PostgresException pg:
                    return PostgresLost.Contains(pg.SqlState);
                case MySqlConnector.MySqlException my when my.ErrorCode == MySqlConnector.MySqlErrorCode.UnableToConnectToHost
                    || my.Message.StartsWith("Failed to read the result set", StringComparison.Ordinal):
                    return true;
            }
        }
        return false;
    }
}

/// <summary>
/// The connection was lost while the database ran COMMIT: the transaction may or may not have been
/// saved, and nothing on this side can tell which. Not retried (a retry could save the work twice);
/// answered as a 500 whose message says so, and logged as an error.
/// </summary>
public sealed class CommitOutcomeUnknownException(Exception lost)
    : Exception("The database connection was lost during COMMIT: the outcome is unknown (the changes may or may not have been saved). "
        + "Check before retrying. Cause: " + lost.Message, lost);
