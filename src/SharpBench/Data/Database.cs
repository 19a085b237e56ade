using System.Data;
using System.Data.Common;

namespace SharpBench.Data;

/// <summary>
/// One open connection to a site's database, with an optional transaction. SQL text comes
/// from the dialect and from checked meta; every value travels as a parameter named
/// <c>@p0</c>, <c>@p1</c>, … in the order of <c>args</c>.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    // SQLite prepares a statement on every new command object; keeping the command per SQL text
    // lets it reuse the compiled statement. Bounded, since list queries vary their text.
    private const int MaxCachedStatements = 256;

    // MariaDB and PostgreSQL: a statement this connection runs a second time is prepared on the
    // server, once. Its executions then skip the server's parse (and PostgreSQL's planning) and,
    // with MariaDB's metadata caching, the column definitions of every result (docs/benchmarks.md,
    // "Database path"). Bounded per connection, since MariaDB caps prepared statements across all
    // its sessions (max_prepared_stmt_count, 16,382 by default) and the drivers keep them until
    // the connection closes.
    // PostgreSQL refuses a prepared `SELECT *` whose table gained a column since (0A000, "cached
    // plan must not change result type"), and the error aborts an open transaction. So there a
    // prepared statement only ever runs outside a transaction, where the refused read is simply
    // sent again unprepared (see RunAsync); inside a transaction statements run unprepared.
    private const int MaxPreparedPerConnection = 64;
    private DbTransaction? _transaction;
    private Dictionary<string, Statement>? _statements;
    private int _prepared;
    private bool _failed;
    private DbConnectionInfo? _info;

    // Rented from the pool and not yet answered a command: the server may have closed it while it
    // sat idle, and a failure now means nothing of this unit of work reached the database.
    private bool _unproven;

    private Database(SqlDialect dialect, DbConnection connection, string key)
    {
        Dialect = dialect;
        Connection = connection;
        Key = key;
    }

    public SqlDialect Dialect { get; }
    public DbConnection Connection { get; private set; }
    public bool InTransaction => _transaction is not null;

    /// <summary>
    /// When set and no transaction is open, the first write (<see cref="ExecuteAsync"/>) begins
    /// one; reads run on their own. A read-only unit of work then costs no BEGIN and ROLLBACK
    /// round trips, yet a write it makes is still inside a transaction that it can roll back.
    /// </summary>
    public bool BeginOnWrite { get; set; }

    /// <summary>Read-only mode: every write fails with <see cref="InReadOnlyMode"/>, as Frappe's read-only transaction does.</summary>
    public bool RefuseWrites { get; set; }

    internal string Key { get; }
    internal DateTime ReturnedAt { get; set; }

    /// <summary>A connection from the pool, or a new one with its per-connection setup done.</summary>
    public static async Task<Database> OpenAsync(DbConnectionInfo info, CancellationToken ct = default)
    {
        if (await ConnectionPool.RentAsync(info, ct) is { } pooled)
        {
            pooled._info = info;
            pooled._unproven = info.Kind != DbKind.Sqlite;
            return pooled;
        }
        var dialect = SqlDialect.For(info.Kind);
        var connection = dialect.CreateConnection(info.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            var db = new Database(dialect, connection, info.ConnectionString);
            if (info.Kind == DbKind.Sqlite)
            {
                // WAL lets the web role read while a worker writes; the busy timeout turns lock
                // contention between processes into a short wait instead of an error.
                await db.ExecuteAsync("PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL;", [], ct);
            }
            db._statements = new Dictionary<string, Statement>(StringComparer.Ordinal);
            return db;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Closes the pooled idle connections whose connection string mentions <paramref name="scope"/>
    /// (a site folder, a SQLite path, <c>=db_name;</c>), e.g. before that database or file is dropped.
    /// </summary>
    public static void ClearPool(string? scope = null) => ConnectionPool.Clear(scope);

    /// <summary>
    /// Opens a transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE), so two
    /// writers never deadlock on a lock upgrade. Reads need none (<see cref="BeginOnWrite"/>), so
    /// they never queue behind a writer.
    /// </summary>
    public async Task BeginAsync(CancellationToken ct = default)
    {
        if (_transaction is not null)
            throw new InvalidOperationException("A transaction is already open on this connection.");
        try
        {
            _transaction = Connection is Microsoft.Data.Sqlite.SqliteConnection sqlite
                ? sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: false)
                : await Connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        }
        catch (Exception e) when (_unproven && ConnectionLoss.IsLost(e, Connection))
        {
            await ReconnectAsync(false, ct);
            _transaction = await Connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        }
    }

    public async Task CommitAsync(CancellationToken ct = default)
    {
        BeginOnWrite = false;
        if (_transaction is null)
            return;
        try
        {
            await _transaction.CommitAsync(ct);
        }
        catch (Exception e) when (!_unproven && ConnectionLoss.IsLost(e, Connection))
        {
            _failed = true;
            _transaction = null;
            throw new CommitOutcomeUnknownException(e);
        }
        catch (Exception e) when (_unproven && ConnectionLoss.IsLost(e, Connection))
        {
            // Nothing was sent in this transaction (Npgsql sends BEGIN with the first command):
            // there was nothing to commit.
            await ReconnectAsync(false, ct);
            return;
        }
        await _transaction.DisposeAsync();
        _transaction = null;
    }

    public async Task RollbackAsync(CancellationToken ct = default)
    {
        BeginOnWrite = false;
        if (_transaction is null)
            return;
        try
        {
            await _transaction.RollbackAsync(ct);
        }
        catch
        {
            _failed = true;
            throw;
        }
        finally
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }
    }

    /// <summary>The command for <paramref name="sql"/> with <paramref name="args"/> bound; <paramref name="prepare"/> when it should be prepared before it runs.</summary>
    private DbCommand Command(string sql, IReadOnlyList<object?> args, out bool prepare)
    {
        prepare = false;
        DbCommand? cmd = null;
        var statements = Dialect.Kind == DbKind.Postgres && _transaction is not null ? null : _statements;
        var cacheNew = statements is not null;
        if (statements is not null && statements.TryGetValue(sql, out var cached))
        {
            if (cached.Command.Parameters.Count != args.Count)
            {
                statements.Remove(sql);
                cached.Command.Dispose();
            }
            else if (cached.ValueTypes is { } types && !SameTypes(types, args))
            {
                // PostgreSQL fixed the parameters' types when it prepared the statement; values of
                // other types (a null where text was) run on a command of their own, unprepared.
                cacheNew = false;
            }
            else
            {
                cmd = cached.Command;
                if (Dialect.Kind != DbKind.Sqlite && !cached.Prepared && ++cached.Uses >= 2 && _prepared < MaxPreparedPerConnection)
                {
                    cached.Prepared = prepare = true;
                    _prepared++;
                    if (Dialect.Kind == DbKind.Postgres)
                        cached.ValueTypes = [.. args.Select(a => a?.GetType())];
                }
            }
        }
        if (cmd is null)
        {
            cmd = Connection.CreateCommand();
            cmd.CommandText = sql;
            for (var i = 0; i < args.Count; i++)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = ParameterNames.Get(i);
                cmd.Parameters.Add(p);
            }
            if (statements is not null && cacheNew)
            {
                if (statements.Count >= MaxCachedStatements)
                    DropStatements();
                statements[sql] = new Statement(cmd);
            }
        }
        cmd.Transaction = _transaction;
        for (var i = 0; i < args.Count; i++)
        {
            cmd.Parameters[i].Value = args[i] switch
            {
                null => DBNull.Value,
                string text when !IsWellFormed(text) => throw new ValidationError("Text must be valid Unicode: it holds a lone UTF-16 surrogate, which no database can store"),
                DateTime t when Dialect.Kind == DbKind.Sqlite => DbTime.ToStorage(t),
                var v => v,
            };
        }
        return cmd;
    }

    /// <summary>
    /// False for text with an unpaired UTF-16 surrogate (JSON's <c>"\ud800"</c> decodes to one):
    /// the drivers fail to encode it with their own exception, which would be a 500.
    /// </summary>
    internal static bool IsWellFormed(string text)
    {
        var span = text.AsSpan();
        var i = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (i < 0)
            return true;
        for (; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return false;
        }
        return true;
    }

    private void Release(DbCommand cmd)
    {
        if (_statements is null || !IsCached(cmd))
        {
            cmd.Dispose();
            return;
        }
        // A cached command must not keep the values (large texts) of its last call alive.
        foreach (DbParameter p in cmd.Parameters)
            p.Value = DBNull.Value;
    }

    private bool IsCached(DbCommand cmd) =>
        _statements!.TryGetValue(cmd.CommandText, out var cached) && ReferenceEquals(cached.Command, cmd);

    private bool IsPrepared(DbCommand cmd) =>
        _statements is not null && _statements.TryGetValue(cmd.CommandText, out var cached) && ReferenceEquals(cached.Command, cmd) && cached.Prepared;

    /// <summary>
    /// Forgets the cached command of <paramref name="sql"/>; disposed at once, or, when it is about
    /// to run (<paramref name="dispose"/> false), by <see cref="Release"/> afterwards.
    /// </summary>
    private void Forget(string sql, bool dispose = true)
    {
        if (_statements is not null && _statements.Remove(sql, out var cached))
        {
            if (cached.Prepared)
                _prepared--;
            if (dispose)
                cached.Command.Dispose();
        }
    }

    private void DropStatements()
    {
        foreach (var statement in _statements!.Values)
            statement.Command.Dispose();
        _statements.Clear();
    }

    /// <summary>
    /// Prepares a cached command on the server. A statement the server will not prepare (some DDL
    /// and administrative statements) keeps running as text; a lost connection still fails.
    /// </summary>
    private async Task PrepareAsync(DbCommand cmd)
    {
        try
        {
            await cmd.PrepareAsync();
        }
        catch (MySqlConnector.MySqlException e) when (!ConnectionLoss.IsLost(e, Connection))
        {
        }
        catch (Npgsql.PostgresException)
        {
            // The statement itself is wrong (a missing table or column): it fails again, with the
            // same error, when it runs unprepared.
            Forget(cmd.CommandText, dispose: false);
        }
    }

    private static bool SameTypes(Type?[] types, IReadOnlyList<object?> args)
    {
        for (var i = 0; i < types.Length; i++)
        {
            if (types[i] != args[i]?.GetType())
                return false;
        }
        return true;
    }

    private sealed class Statement(DbCommand command)
    {
        public DbCommand Command { get; } = command;
        public int Uses { get; set; } = 1;
        public bool Prepared { get; set; }

        /// <summary>PostgreSQL: the types of the values the statement was prepared with.</summary>
        public Type?[]? ValueTypes { get; set; }
    }

    public async Task<int> ExecuteAsync(string sql, IReadOnlyList<object?> args, CancellationToken ct = default)
    {
        if (RefuseWrites)
            throw new InReadOnlyMode();
        if (_transaction is null && BeginOnWrite)
            await BeginAsync(ct);
        return await RunAsync(sql, args, cmd => cmd.ExecuteNonQueryAsync(ct));
    }

    public Task<object?> ScalarAsync(string sql, IReadOnlyList<object?> args, CancellationToken ct = default) =>
        RunAsync(sql, args, async cmd =>
        {
            var value = await cmd.ExecuteScalarAsync(ct);
            return value is DBNull ? null : value;
        });

    /// <summary>Rows as ordered dictionaries keyed by column name (as the query spelled it).</summary>
    public Task<List<Dictionary<string, object?>>> QueryAsync(string sql, IReadOnlyList<object?> args, CancellationToken ct = default) =>
        RunAsync(sql, args, async cmd =>
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var rows = new List<Dictionary<string, object?>>();
            var names = new string[reader.FieldCount];
            for (var i = 0; i < names.Length; i++)
                names[i] = reader.GetName(i);
            while (await reader.ReadAsync(ct))
            {
                var row = new Dictionary<string, object?>(names.Length, StringComparer.Ordinal);
                for (var i = 0; i < names.Length; i++)
                    row[names[i]] = Value(reader, i);
                rows.Add(row);
            }
            return rows;
        });

    /// <summary>Rows as value arrays in select order: no per-row dictionary, for queries that build their own result.</summary>
    public Task<List<object?[]>> QueryValuesAsync(string sql, IReadOnlyList<object?> args, CancellationToken ct = default) =>
        RunAsync(sql, args, async cmd =>
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var rows = new List<object?[]>();
            var width = reader.FieldCount;
            while (await reader.ReadAsync(ct))
            {
                var row = new object?[width];
                for (var i = 0; i < width; i++)
                    row[i] = Value(reader, i);
                rows.Add(row);
            }
            return rows;
        });

    /// <summary>
    /// Runs one statement; a failure marks the connection so the pool closes it rather than
    /// hand it to the next unit of work.
    /// </summary>
    private async Task<T> RunAsync<T>(string sql, IReadOnlyList<object?> args, Func<DbCommand, Task<T>> run)
    {
        DbCommand? cmd = Command(sql, args, out var prepare);
        try
        {
            if (prepare)
                await PrepareAsync(cmd);
            var result = await run(cmd);
            _unproven = false;
            return result;
        }
        catch (Exception e) when (_unproven && ConnectionLoss.IsLost(e, Connection))
        {
            // A pooled connection the server closed while idle: nothing of this unit of work was
            // written, so the statement runs again, once, on a new connection (see ConnectionLoss).
            Release(cmd);
            cmd = null;
            await ReconnectAsync(_transaction is not null, CancellationToken.None);
            return await RunAsync(sql, args, run);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.FeatureNotSupported && _transaction is null && cmd is not null && IsPrepared(cmd))
        {
            // A prepared statement whose table changed shape (a migrate added a column): PostgreSQL
            // refused it before running it, and no transaction is open, so it runs again as a new
            // statement (prepared again on its next repeat).
            Forget(sql);
            cmd = null;
            return await RunAsync(sql, args, run);
        }
        catch
        {
            _failed = true;
            throw;
        }
        finally
        {
            if (cmd is not null)
                Release(cmd);
        }
    }

    /// <summary>Replaces a lost connection with a new one (and a new transaction when one was open).</summary>
    private async Task ReconnectAsync(bool inTransaction, CancellationToken ct)
    {
        _unproven = false;
        if (_transaction is not null)
        {
            try
            {
                await _transaction.DisposeAsync();
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or IOException)
            {
            }
            _transaction = null;
        }
        await CloseAsync();
        _prepared = 0;
        var fresh = Dialect.CreateConnection(_info!.ConnectionString);
        try
        {
            await fresh.OpenAsync(ct);
        }
        catch
        {
            _failed = true;
            await fresh.DisposeAsync();
            throw;
        }
        Connection = fresh;
        if (inTransaction)
            _transaction = await Connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
    }

    // One type probe per value: IsDBNull before GetValue would ask the provider twice.
    private static object? Value(DbDataReader reader, int i)
    {
        var v = reader.GetValue(i);
        return v is DBNull ? null : v;
    }

    /// <summary>Whether the server still answers (a pooled connection that sat idle).</summary>
    internal async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            await ScalarAsync("SELECT 1", [], ct);
            return true;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    /// <summary>Hands the connection back to the pool: rolled back, and closed instead when it failed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            try
            {
                await RollbackAsync();
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
            {
                _failed = true;
            }
        }
        BeginOnWrite = false;
        RefuseWrites = false;
        if (_failed || !ConnectionPool.Return(this))
            await CloseAsync();
    }

    internal async ValueTask CloseAsync()
    {
        if (_statements is not null)
            DropStatements();
        await Connection.DisposeAsync();
    }

    /// <summary>Closes an idle pooled connection (no transaction is open on it) with the provider's synchronous close.</summary>
    internal void Close()
    {
        if (_statements is not null)
            DropStatements();
        Connection.Dispose();
    }
}

/// <summary>Parameter names <c>@p0</c>… built once, not per statement.</summary>
internal static class ParameterNames
{
    private static readonly string[] Names = Enumerable.Range(0, 64).Select(i => "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public static string Get(int i) => i < Names.Length ? Names[i] : "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
