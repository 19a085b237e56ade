using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace SharpBench.Jobs;

/// <summary>Raised by a job that wants to be run again shortly (Frappe's <c>RetryBackgroundJobError</c>).</summary>
public sealed class RetryBackgroundJobException(string message) : Exception(message);

/// <summary>Which failures a job is retried for: lock contention that a second attempt usually gets past.</summary>
public static class RetryableErrors
{
    public static bool IsRetryable(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case RetryBackgroundJobException:
                    return true;
                // 1213 deadlock, 1205 lock wait timeout (the two Frappe retries).
                case MySqlException m when m.Number is 1213 or 1205:
                    return true;
                // deadlock_detected, lock_not_available, serialization_failure.
                case PostgresException p when p.SqlState is "40P01" or "55P03" or "40001":
                    return true;
                // SQLITE_BUSY / SQLITE_LOCKED: another process holds the write lock past busy_timeout.
                case SqliteException s when s.SqliteErrorCode is 5 or 6:
                    return true;
            }
        }
        return false;
    }
}
