using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace SharpBench.Metrics;

/// <summary>Times every request of the web backend into <see cref="SharpBenchMetrics.RequestDuration"/>.</summary>
internal sealed class RequestMetrics(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var status = 500; // what the server answers when an exception escapes
        try
        {
            await next(http);
            status = http.Response.StatusCode;
        }
        finally
        {
            SharpBenchMetrics.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("route_class", RouteClass.Of(http.Request.Path.Value ?? "/")),
                new KeyValuePair<string, object?>("status_class", RouteClass.StatusClass(status)));
        }
    }
}
