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
}
