using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench.Apps;

/// <summary>
/// An app's <c>patches.txt</c>: one-time patches by dotted method name, as Frappe's. With the
/// sections <c>[pre_model_sync]</c> and <c>[post_model_sync]</c> they run before or after the
/// DocType sync; a file without sections runs all of them before it. The whole line (a trailing
/// <c># comment</c> included) identifies the patch in Patch Log, so editing a line reruns it.
/// </summary>
internal sealed record PatchList(IReadOnlyList<string> PreModelSync, IReadOnlyList<string> PostModelSync)
{
    public static PatchList Of(App app)
    {
        var pre = new List<string>();
        var post = new List<string>();
        var current = pre;
        foreach (var raw in (app.PatchesText ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (line == "[pre_model_sync]")
                current = pre;
            else if (line == "[post_model_sync]")
                current = post;
            else
                current.Add(line);
        }
        return new PatchList(pre, post);
    }

    public IEnumerable<string> All => PreModelSync.Concat(PostModelSync);

    /// <summary>The method a patch line calls: the line without its comment.</summary>
    public static string MethodOf(string patch) => patch.Split('#')[0].Trim();
}

/// <summary>A patch threw or names no method: migrate stops before it is recorded.</summary>
internal sealed class PatchFailedException(string message, Exception? inner = null) : BenchException(message, inner);

/// <summary>Runs patches once per site and records them in Patch Log.</summary>
internal static class PatchRunner
{
    private const string Table = "tabPatch Log";

    /// <summary>
    /// Runs the apps' patches of one phase not yet in Patch Log, each in its own transaction with
    /// its Patch Log row, so a patch that throws leaves no row and the next migrate starts from it.
    /// </summary>
    public static async Task<int> RunAsync(Site site, IReadOnlyList<App> apps, bool postModelSync, Action<string> progress, CancellationToken ct)
    {
        var ran = 0;
        foreach (var app in apps)
        {
            var list = PatchList.Of(app);
            foreach (var patch in postModelSync ? list.PostModelSync : list.PreModelSync)
            {
                await using var context = new FrappeContext(site, "Administrator");
                var db = await context.DbAsync(ct);
                if (await ExecutedAsync(db, patch, ct))
                    continue;
                var methodName = PatchList.MethodOf(patch);
                if (methodName.StartsWith("execute:", StringComparison.Ordinal))
                    throw new PatchFailedException($"Patch '{patch}' of {app.Name}: 'execute:' lines are Python; name a method declared with [FrappeMethod] instead.");
                var method = site.Host.Methods.Find(methodName)
                    ?? throw new PatchFailedException($"Patch '{patch}' of {app.Name}: no method {methodName} is registered (declare it with [FrappeMethod(\"{methodName}\")]).");
                progress($"Executing {patch} in {site.Name}");
                try
                {
                    await method.Invoke(context, [], ct);
                    await RecordAsync(await context.DbAsync(ct), patch, ct);
                    await context.CommitAsync(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await context.RollbackAsync(CancellationToken.None);
                    throw new PatchFailedException($"Patch '{patch}' of {app.Name} failed: {e.Message}", e);
                }
                ran++;
            }
        }
        return ran;
    }

    /// <summary>Records every patch of a newly installed app as done, as Frappe's install does: its DocTypes are already current.</summary>
    public static async Task MarkAllExecutedAsync(Database db, App app, CancellationToken ct)
    {
        foreach (var patch in PatchList.Of(app).All)
        {
            if (!await ExecutedAsync(db, patch, ct))
                await RecordAsync(db, patch, ct);
        }
    }

    private static async Task<bool> ExecutedAsync(Database db, string patch, CancellationToken ct)
    {
        var d = db.Dialect;
        return await db.ScalarAsync($"SELECT 1 FROM {d.Quote(Table)} WHERE {d.Quote("patch")} = @p0", [patch], ct) is not null;
    }

    private static Task<int> RecordAsync(Database db, string patch, CancellationToken ct)
    {
        var now = DbTime.Now();
        return Rows.InsertAsync(db, Table, Rows.BySystem(Model.Naming.Hash(), now, new() { ["patch"] = patch, ["skipped"] = 0 }), ct);
    }
}
