using System.Data;
using System.Data.Common;

namespace SharpBench.Data;

/// <summary>
/// One open connection to a site's database, with an optional transaction. SQL text comes
/// from the dialect and from checked meta; every value travels as a parameter named
/// <c>@p0</c>, <c>@p1</c>, … in the order of <c>args</c>.
/// </summary>
public sealed class Database : IAsyncDisposable, IDisposable
{
    private DbTransaction? _transaction;

    private Database(SqlDialect dialect, DbConnection connection)
    {
        Dialect = dialect;
        Connection = connection;
    }

    public SqlDialect Dialect { get; }
    public DbConnection Connection { get; }
    public bool InTransaction => _transaction is not null;

    public static async Task<Database> OpenAsync(DbConnectionInfo info, CancellationToken ct = default)
    {
        var dialect = SqlDialect.For(info.Kind);
        var connection = dialect.CreateConnection(info.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            var db = new Database(dialect, connection);
            if (info.Kind == DbKind.Sqlite)
            {
                // WAL lets the web role read while a worker writes; the busy timeout turns lock
                // contention between processes into a short wait instead of an error.
                await db.ExecuteAsync("PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL;", [], ct);
            }
            return db;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Opens a transaction. On SQLite a writing transaction takes the write lock at once
    /// (BEGIN IMMEDIATE), so two writers never deadlock on a lock upgrade; a read-only one is
    /// deferred, so reads run side by side instead of queueing behind every writer.
    /// </summary>
    public Task BeginAsync(CancellationToken ct = default) => BeginAsync(readOnly: false, ct);

    public async Task BeginAsync(bool readOnly, CancellationToken ct = default)
    {
        if (_transaction is not null)
            throw new InvalidOperationException("A transaction is already open on this connection.");
        _transaction = Connection is Microsoft.Data.Sqlite.SqliteConnection sqlite
            ? sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: readOnly)
            : await Connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
    }

    public async Task CommitAsync(CancellationToken ct = default)
    {
        if (_transaction is null)
            return;
        await _transaction.CommitAsync(ct);
        await _transaction.DisposeAsync();
        _transaction = null;
    }

    public async Task RollbackAsync(CancellationToken ct = default)
    {
        if (_transaction is null)
            return;
        try
        {
            await _transaction.RollbackAsync(ct);
        }
        finally
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }
    }

    public DbCommand Command(string sql, IReadOnlyList<object?> args)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = _transaction;
        for (var i = 0; i < args.Count; i++)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            p.Value = args[i] switch
            {
                null => DBNull.Value,
                DateTime t when Dialect.Kind == DbKind.Sqlite => DbTime.ToStorage(t),
                var v => v,
            };
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public async Task<int> ExecuteAsync(string sql, IReadOnlyList<object?> args, CancellationToken ct = default)
    {
        await using var cmd = Command(sql, args);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<object?> ScalarAsync(string sql, IReadOnlyList<object?> args, CancellationToken ct = default)
    {
        await using var cmd = Command(sql, args);
        var value = await cmd.ExecuteScalarAsync(ct);
        return value is DBNull ? null : value;
    }

    /// <summary>Rows as ordered dictionaries keyed by column name (as the query spelled it).</summary>
    public async Task<List<Dictionary<string, object?>>> QueryAsync(string sql, IReadOnlyList<object?> args, CancellationToken ct = default)
    {
        await using var cmd = Command(sql, args);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<Dictionary<string, object?>>();
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
            names[i] = reader.GetName(i);
        while (await reader.ReadAsync(ct))
        {
            var row = new Dictionary<string, object?>(names.Length, StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
                row[names[i]] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
            await RollbackAsync();
        await Connection.DisposeAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
