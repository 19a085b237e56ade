using System.Text.Json.Nodes;
using SharpBench.Apps;
using SharpBench.Data;

namespace SharpBench.Tests.Http;

/// <summary>Whitelisted methods the HTTP tests call: echo arguments, write rows, return nothing.</summary>
public static class TestMethods
{
    [Whitelist("sharpbench_tests.echo", AllowGuest = true)]
    public static JsonObject Echo(JsonObject kwargs) => kwargs;

    [Whitelist("sharpbench_tests.echo_raw", AllowGuest = true, XssSafe = true)]
    public static JsonObject EchoRaw(JsonObject kwargs) => kwargs;

    [Whitelist("sharpbench_tests.typed", AllowGuest = true)]
    public static JsonObject Typed(bool flag, int count, JsonObject? options = null, double ratio = 1.5) =>
        new() { ["flag"] = flag, ["count"] = count, ["options"] = options?.DeepClone(), ["ratio"] = ratio };

    [Whitelist("sharpbench_tests.nothing", AllowGuest = true)]
    public static void Nothing()
    {
    }

    [Whitelist("sharpbench_tests.zero", AllowGuest = true)]
    public static int Zero() => 0;

    [Whitelist("sharpbench_tests.post_only", AllowGuest = true, Methods = ["POST"])]
    public static string PostOnly() => "posted";

    [Whitelist("sharpbench_tests.users_only")]
    public static string UsersOnly(FrappeContext context) => context.User;

    [FrappeMethod("sharpbench_tests.not_whitelisted")]
    public static string NotWhitelisted() => "secret";

    /// <summary>Writes a row, so tests can see whether the request's transaction was committed.</summary>
    [Whitelist("sharpbench_tests.write_default", AllowGuest = true)]
    public static async Task<string> WriteDefault(FrappeContext context, string key, bool fail = false, CancellationToken ct = default)
    {
        var db = await context.DbAsync(ct);
        await Rows.InsertAsync(db, "tabDefaultValue", new Dictionary<string, object?>
        {
            ["name"] = Guid.NewGuid().ToString("N")[..10],
            ["parent"] = "__test",
            ["defkey"] = key,
            ["defvalue"] = "v",
        }, ct);
        if (fail)
            throw new ValidationError("failing after the write");
        return key;
    }

    /// <summary>Requests of <see cref="SaveThenOutliveClient"/> that reached the handler, by key.</summary>
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> Reached = new();

    /// <summary>Whether <see cref="SaveThenOutliveClient"/> saw its request aborted before it returned, by key.</summary>
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> SawAbort = new();

    /// <summary>After-commit work of <see cref="SaveThenOutliveClient"/> that ran, by key.</summary>
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> AfterCommitRan = new();

    /// <summary>
    /// A save with a job and after-commit work that finishes only after its client went away:
    /// it writes a row, enqueues a job (id = key), queues after-commit work, then waits for the
    /// request to be aborted and returns normally, as a handler past its last await would.
    /// </summary>
    [Whitelist("sharpbench_tests.save_then_outlive_client", AllowGuest = true)]
    public static async Task<string> SaveThenOutliveClient(FrappeContext context, string key, CancellationToken ct = default)
    {
        await WriteDefault(context, key, ct: ct);
        await SharpBench.Jobs.BackgroundJobs.EnqueueAsync(context, "sharpbench_tests.nothing", null, new SharpBench.Jobs.EnqueueOptions { JobId = key }, ct);
        context.AfterCommit(() =>
        {
            AfterCommitRan.GetOrAdd(key, _ => new()).TrySetResult();
            return Task.CompletedTask;
        });
        Reached.GetOrAdd(key, _ => new()).TrySetResult();
        await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None), Task.Delay(Timeout.Infinite, ct));
        SawAbort[key] = ct.IsCancellationRequested;
        return key;
    }
}
