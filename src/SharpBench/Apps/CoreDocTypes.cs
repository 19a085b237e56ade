using SharpBench.Model;

namespace SharpBench.Apps;

/// <summary>The core app's DocTypes, embedded in this library under <c>frappe/</c> (the model reads them before any app is loaded).</summary>
internal static class CoreDocTypes
{
    private static readonly Lazy<IReadOnlyList<DocTypeMeta>> Loaded = new(() => App.EmbeddedDocTypes(typeof(CoreDocTypes).Assembly, "frappe/").ToList());

    public static IReadOnlyList<DocTypeMeta> All => Loaded.Value;
}
