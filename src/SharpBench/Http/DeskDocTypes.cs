using SharpBench.Auth;
using SharpBench.Model;

namespace SharpBench.Http;

/// <summary>The DocTypes a user may read (shipped and custom, child tables left out), for the <c>/app</c> page.</summary>
public static class DeskDocTypes
{
    public static async Task<IReadOnlyList<string>> ReadableAsync(FrappeContext context, CancellationToken ct)
    {
        var readable = new List<string>();
        foreach (var name in await Meta.NamesAsync(context, ct))
        {
            var meta = await Meta.FindAsync(context, name, ct);
            if (meta is null || meta.IsChild)
                continue;
            if (await Permissions.HasAsync(context, meta, "read", ct: ct))
                readable.Add(name);
        }
        readable.Sort(StringComparer.Ordinal);
        return readable;
    }
}
