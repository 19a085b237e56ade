using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench;

/// <summary>
/// Everything one unit of work (an HTTP request, a job, a CLI command) runs with, as
/// <c>frappe.local</c> is in Frappe: the site, the user, and one lazily opened database
/// connection with its transaction. Work queued with <see cref="AfterCommit"/> (jobs enqueued
/// after commit, realtime events) runs only if the transaction commits, and is dropped on rollback.
/// </summary>
public sealed class FrappeContext(Site site, string user, IServiceProvider? services = null) : IAsyncDisposable
{
    private Database? _db;
    private readonly List<Func<CancellationToken, Task>> _beforeCommit = [];
    private readonly List<Func<CancellationToken, Task>> _afterCommit = [];
    private readonly List<Func<CancellationToken, Task>> _afterRollback = [];

    public Site Site { get; } = site;

    /// <summary>The session user; "Guest" when nobody is logged in.</summary>
    public string User { get; set; } = user;

    public IServiceProvider? Services { get; } = services;

    /// <summary>Free-form per-unit state (flags, caches) other capabilities hang on the context.</summary>
    public Dictionary<string, object?> Items { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// User-facing messages (Frappe's <c>message_log</c>): sent to HTTP clients as
    /// <c>_server_messages</c>, on successes too.
    /// </summary>
    public List<ServerMessage> Messages { get; } = [];

    public void MsgPrint(string message, string? title = null, string? indicator = null) =>
        Messages.Add(new ServerMessage(message, title, indicator));

    /// <summary>
    /// A hint that this unit of work only reads (an HTTP GET, a permission check): its
    /// transaction is rolled back anyway, so it begins only if something writes.
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>Read-only mode (maintenance with reads allowed): the database refuses every write.</summary>
    public bool RefuseWrites { get; set; }

    public bool IsAdministrator => User == "Administrator";

    public bool IsGuest => User == "Guest";

    /// <summary>Whether this unit of work opened the site database (a job that did records its completion there).</summary>
    public bool HasDatabase => _db is not null;

    /// <summary>
    /// The site database, opened on first use with a transaction begun; in a read-only unit of
    /// work the transaction begins only at its first write (reads need none, and skipping it
    /// saves two round trips per request).
    /// </summary>
    public async Task<Database> DbAsync(CancellationToken ct = default)
    {
        _db ??= await Site.OpenDatabaseAsync(ct);
        _db.RefuseWrites = RefuseWrites;
        if (!_db.InTransaction)
        {
            if (ReadOnly)
                _db.BeginOnWrite = true;
            else
                await _db.BeginAsync(ct);
        }
        return _db;
    }

    /// <summary>Work that must succeed for the commit to happen (it throws to stop it); also run by <see cref="FinishReadAsync"/>; dropped on rollback.</summary>
    /// <remarks>The action gets the token the commit was given (a job's timeout).</remarks>
    public void BeforeCommit(Func<CancellationToken, Task> action) => _beforeCommit.Add(action);

    public void BeforeCommit(Func<Task> action) => _beforeCommit.Add(_ => action());

    /// <summary>Work that runs once the transaction committed (enqueues after commit, realtime events); dropped on rollback.</summary>
    /// <remarks>The action gets the token the commit was given (a job's timeout).</remarks>
    public void AfterCommit(Func<CancellationToken, Task> action) => _afterCommit.Add(action);

    public void AfterCommit(Func<Task> action) => _afterCommit.Add(_ => action());

    public void AfterRollback(Func<CancellationToken, Task> action) => _afterRollback.Add(action);

    public void AfterRollback(Func<Task> action) => _afterRollback.Add(_ => action());

    public async Task CommitAsync(CancellationToken ct = default)
    {
        await RunBeforeCommitAsync(ct);
        if (_db is not null)
            await _db.CommitAsync(ct);
        var pending = _afterCommit.ToList();
        _afterCommit.Clear();
        _afterRollback.Clear();
        foreach (var action in pending)
            await action(ct);
    }

    /// <summary>
    /// Ends a unit of work that succeeded but must not write (a GET request): the work that
    /// must succeed for a commit still runs, so an enqueue whose Redis write failed fails the
    /// request instead of being lost without a word; then the transaction rolls back.
    /// </summary>
    public async Task FinishReadAsync(CancellationToken ct = default)
    {
        await RunBeforeCommitAsync(ct);
        await RollbackAsync(ct);
    }

    private async Task RunBeforeCommitAsync(CancellationToken ct)
    {
        var before = _beforeCommit.ToList();
        _beforeCommit.Clear();
        foreach (var action in before)
            await action(ct);
    }

    public async Task RollbackAsync(CancellationToken ct = default)
    {
        if (_db is not null)
            await _db.RollbackAsync(ct);
        _beforeCommit.Clear();
        _afterCommit.Clear();
        var pending = _afterRollback.ToList();
        _afterRollback.Clear();
        foreach (var action in pending)
            await action(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
            _db = null;
        }
    }
}
