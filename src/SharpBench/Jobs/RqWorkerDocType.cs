using System.Text.Json.Nodes;
using SharpBench.Model;

namespace SharpBench.Jobs;

/// <summary>
/// The RQ Worker virtual DocType: the workers heartbeating on this bench's queue. Unlike Frappe
/// (every worker on the Redis), only this bench's workers are listed, and a worker's current job
/// is shown only when it belongs to the asking site.
/// </summary>
public sealed class RqWorkerDocType : IVirtualDocType
{
    public const string Name = "RQ Worker";

    public string DocType => Name;

    public IReadOnlyList<string> Roles => [JobPermissions.Role];

    private static IJobMonitoring Backend(FrappeContext context) => JobBackends.Of(context).For(QueueSettings.For(context.Site));

    public async Task<IReadOnlyList<JsonObject>> GetListAsync(FrappeContext context, VirtualListArgs args, CancellationToken ct)
    {
        var workers = await Backend(context).WorkersAsync(ct);
        return workers.Select(w => w.ToDocument(context.Site.Name))
            .Where(doc => args.Filters.All(f => doc[f.Key]?.ToString() == f.Value))
            .Skip(Math.Max(0, args.Start))
            .Take(args.PageLength > 0 ? args.PageLength : int.MaxValue)
            .ToList();
    }

    public async Task<JsonObject?> GetAsync(FrappeContext context, string name, CancellationToken ct) =>
        (await Backend(context).WorkersAsync(ct)).FirstOrDefault(w => w.Name == name)?.ToDocument(context.Site.Name);

    /// <summary>Workers are processes; they go away by being stopped, not deleted.</summary>
    public Task<bool> DeleteAsync(FrappeContext context, string name, CancellationToken ct) => Task.FromResult(false);
}
