namespace SharpBench.Jobs;

/// <summary>
/// The enqueues of one unit of work (a <see cref="FrappeContext"/>) sent to Redis without waiting
/// for each reply, so a loop of enqueues does not pay a round trip per job. Every reply is still
/// checked: at most <see cref="Window"/> are outstanding (the next enqueue waits for the older
/// ones), and the rest before the context commits or finishes a read (a GET request), so a Redis
/// error fails the commit and its transaction, or the request, as it fails them in Frappe.
/// </summary>
internal sealed class PendingEnqueues
{
    public const int Window = 256;
    private const string Key = "jobs.pending_enqueues";
    private readonly Queue<Task<bool>> _writes = new();

    public static PendingEnqueues For(FrappeContext context)
    {
        if (context.Items.TryGetValue(Key, out var existing) && existing is PendingEnqueues pending)
            return pending;
        var created = new PendingEnqueues();
        context.Items[Key] = created;
        context.BeforeCommit(async () =>
        {
            context.Items.Remove(Key);
            await created.SettleAsync(0);
        });
        context.AfterRollback(() =>
        {
            context.Items.Remove(Key);
            return Task.CompletedTask;
        });
        return created;
    }

    public async Task AddAsync(Task<bool> write)
    {
        _writes.Enqueue(write);
        if (_writes.Count > Window)
            await SettleAsync(Window / 2);
    }

    private async Task SettleAsync(int keep)
    {
        while (_writes.Count > keep)
            await _writes.Dequeue();
    }
}
