using SharpBench.Model;

namespace SharpBench.Http;

/// <summary><c>/api/resource/&lt;DocType&gt;[/&lt;name&gt;]</c> (reference 2.1, 5, 8).</summary>
public static partial class ResourceEndpoint
{
    public static async Task HandleAsync(FrappeRequest request, string doctype, string? name, CancellationToken ct)
    {
        if (VirtualDocTypes.Find(doctype) is { } provider)
        {
            await VirtualResource.HandleAsync(request, provider, name, ct);
            return;
        }
        throw new DoesNotExistError($"DocType {doctype} not found");
    }
}
