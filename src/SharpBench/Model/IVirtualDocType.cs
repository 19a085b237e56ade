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
/// Providers of virtual DocTypes by name. Process-wide on purpose: a provider is library code
/// (RQ Job, RQ Worker) that reads the site it is given, never state of one host.
/// </summary>
public static class VirtualDocTypes
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IVirtualDocType> Providers = new(StringComparer.Ordinal);

    public static void Register(IVirtualDocType provider) => Providers[provider.DocType] = provider;

    public static IVirtualDocType? Find(string docType) => Providers.GetValueOrDefault(docType);
}
