using Microsoft.Extensions.Logging;

namespace SharpBench;

/// <summary>
/// Every role logs to stdout: one plain line per event on a terminal, JSON lines in a container
/// (<c>DOTNET_RUNNING_IN_CONTAINER</c> or <c>SHARPBENCH_LOG_FORMAT=json</c>), so log shippers can parse them.
/// </summary>
public static class Logging
{
    public static void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        var json = Environment.GetEnvironmentVariable("SHARPBENCH_LOG_FORMAT") == "json"
            || (Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER") == "true" && Environment.GetEnvironmentVariable("SHARPBENCH_LOG_FORMAT") != "plain");
        if (json)
            logging.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ");
        else
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
        logging.SetMinimumLevel(LogLevel.Information);
        // One line per request costs more than the request itself; Frappe's gunicorn logs none either.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Warning);
        // While this category is enabled at any level, ASP.NET Core starts an Activity (trace
        // context, tags) for every request; it logs nothing we keep.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
    }
}
