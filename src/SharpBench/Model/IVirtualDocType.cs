using System.Text.Json.Nodes;

namespace SharpBench.Model;

/// <summary>
/// A DocType whose records live outside the site database (Frappe's <c>is_virtual</c>), such as
/// RQ Job and RQ Worker. <c>/api/resource</c> and <c>frappe.client</c> route to the provider
/// registered under the DocType's name instead of SQL.
/// </summary>
public interface IVirtualDocType
{
    string DocType { get; }

    /// <summary>Roles allowed to read (and delete, when supported); Administrator always may.</summary>
    IReadOnlyList<string> Roles { get; }

    Task<IReadOnlyList<JsonObject>> GetListAsync(FrappeContext context, VirtualListArgs args, CancellationToken ct);

    /// <summary>Returns null when there is no such record (the API answers 404).</summary>
    Task<JsonObject?> GetAsync(FrappeContext context, string name, CancellationToken ct);

    /// <summary>Returns false when there is no such record.</summary>
    Task<bool> DeleteAsync(FrappeContext context, string name, CancellationToken ct);
}

/// <summary>List arguments already parsed by the API layer: equality filters on plain fields, paging.</summary>
public sealed record VirtualListArgs(IReadOnlyDictionary<string, string> Filters, int Start, int PageLength);

/// <summary>
/// Providers of virtual DocTypes by name, on one host (<c>host.VirtualDocTypes</c>):
/// the core app registers RQ Job and RQ Worker, an app may register its own in <see cref="Apps.App.OnLoad"/>.
/// </summary>
public sealed class VirtualDocTypes
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IVirtualDocType> _providers = new(StringComparer.Ordinal);

    public void Register(IVirtualDocType provider) => _providers[provider.DocType] = provider;

    public IVirtualDocType? Find(string docType) => _providers.GetValueOrDefault(docType);

    /// <summary>The provider of that DocType on the context's host, or null for a DocType stored in SQL.</summary>
    public static IVirtualDocType? Of(FrappeContext context, string docType) => context.Site.Host.VirtualDocTypes.Find(docType);
}
