using System.Text.Json.Nodes;
using SharpBench.Apps;

namespace SharpBench.Tests.App;

/// <summary>Web methods that take their time, for request timeouts.</summary>
public static class SlowMethods
{
    /// <summary>Waits kwargs.ms (observing the request's cancellation), then answers "slept".</summary>
    [Whitelist("sb_test_app.web.sleep", AllowGuest = true)]
    public static async Task<object?> Sleep(FrappeContext context, JsonObject kwargs, CancellationToken ct)
    {
        var ms = int.Parse(kwargs["ms"]?.ToString() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        await Task.Delay(ms, ct);
        return "slept";
    }
}
