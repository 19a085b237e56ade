using System.CommandLine;
using System.CommandLine.Invocation;
using SharpBench.Hosting;

namespace SharpBench.Cli;

/// <summary>
/// <c>--metrics-port</c> on every long-running role: wraps each role's action so that, when the
/// option or <c>metrics_port</c> (common config) is set, the role serves Prometheus text at
/// <c>/metrics</c> on that port while it runs (docs/metrics.md).
/// </summary>
public static class RoleMetrics
{
    public static readonly string[] Roles = ["serve", "start", "worker", "worker-pool", "schedule", "socketio"];

    public static void Attach(RootCommand root)
    {
        foreach (var command in root.Subcommands)
        {
            if (Array.IndexOf(Roles, command.Name) < 0)
                continue;
            var port = new Option<int?>("--metrics-port") { Description = "Serve Prometheus metrics at http://*:PORT/metrics (default: metrics_port from common config; off when unset)" };
            command.Options.Add(port);
            if (command.Action is not AsynchronousCommandLineAction inner)
                continue;
            var role = command.Name;
            command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
            {
                using var metrics = MetricsServer.Start(CliContext.Bench(), parse.GetValue(port), role);
                return await inner.InvokeAsync(parse, ct);
            }));
        }
    }
}
