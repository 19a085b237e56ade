using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace SharpBench.Data;

/// <summary>
/// Tells a database's refusal of one statement (a grouping rule, a value out of range) apart
/// from a failure of the server or the connection. Only the first is the client's doing.
/// </summary>
public static class StatementErrors
{
    public static bool IsRefusedStatement(DbException e) => e switch
    {
        // SQLSTATE classes 21 (cardinality), 22 (data exception), 42 (syntax or access rule).
        // MariaDB reports some grouping errors as HY000: 1111 invalid use of a group function,
        // 1140 mixed aggregate and plain columns, 1055 ONLY_FULL_GROUP_BY.
        MySqlException m => IsStatementClass(m.SqlState) || m.Number is 1111 or 1140 or 1055,
        PostgresException p => IsStatementClass(p.SqlState),
        // SQLITE_ERROR (a generic SQL error), SQLITE_TOOBIG, SQLITE_MISMATCH, SQLITE_RANGE.
        SqliteException s => s.SqliteErrorCode is 1 or 18 or 20 or 25,
        _ => false,
    };

    private static bool IsStatementClass(string? state) =>
        state is { Length: 5 } && (state.StartsWith("21", StringComparison.Ordinal) || state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("42", StringComparison.Ordinal));

    /// <summary>
    /// The error a client gets for a refused list query: the database's own words only in
    /// developer mode, since they describe tables, columns and the server.
    /// </summary>
    public static DataError AsDataError(DbException e, bool developerMode) =>
        new(developerMode ? $"The database refused the query: {e.Message}" : "The database refused the query (fields, filters, group_by and order_by must fit together)");
}
