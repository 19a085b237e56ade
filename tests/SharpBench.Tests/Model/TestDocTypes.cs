using System.Text.Json.Nodes;
using SharpBench.Model;

namespace SharpBench.Tests.Model;

/// <summary>Builds custom DocTypes through the Document API, as a client creating them over REST would.</summary>
public static class TestDocTypes
{
    public static JsonObject Field(string name, string type, string? options = null, int reqd = 0, int unique = 0, string? dflt = null, int allowOnSubmit = 0, string? label = null)
    {
        var f = new JsonObject { ["fieldname"] = name, ["fieldtype"] = type, ["label"] = label ?? name };
        if (options is not null) f["options"] = options;
        if (reqd != 0) f["reqd"] = reqd;
        if (unique != 0) f["unique"] = unique;
        if (dflt is not null) f["default"] = dflt;
        if (allowOnSubmit != 0) f["allow_on_submit"] = allowOnSubmit;
        return f;
    }

    public static JsonObject Perm(string role, bool ifOwner = false, bool submit = false) => new()
    {
        ["role"] = role,
        ["read"] = 1,
        ["write"] = 1,
        ["create"] = 1,
        ["delete"] = 1,
        ["submit"] = submit ? 1 : 0,
        ["cancel"] = submit ? 1 : 0,
        ["if_owner"] = ifOwner ? 1 : 0,
    };

    /// <summary>Creates a custom DocType as Administrator and commits.</summary>
    public static async Task<DocTypeMeta> CreateAsync(FrappeContext ctx, string name, JsonArray fields, JsonObject? extra = null, JsonArray? perms = null)
    {
        var values = new JsonObject
        {
            ["name"] = name,
            ["module"] = "Custom",
            ["custom"] = 1,
            ["fields"] = fields,
            ["permissions"] = perms ?? new JsonArray(Perm("System Manager")),
        };
        if (extra is not null)
            foreach (var (k, v) in extra)
                values[k] = v?.DeepClone();
        var doc = await Documents.NewAsync(ctx, "DocType", values);
        await doc.InsertAsync(ctx);
        await ctx.CommitAsync();
        return await Meta.GetAsync(ctx, name);
    }

    public static string Unique(string prefix) => prefix + " " + Guid.NewGuid().ToString("N")[..8];
}
