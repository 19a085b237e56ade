using System.CommandLine;
using SharpBench.Hosting;
using SharpBench.Realtime;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

public static class SocketioCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = "Port to listen on (default: socketio_port from common config, else 9000)" };
        var bind = new Option<string>("--bind") { Description = "Address to listen on", DefaultValueFactory = _ => "0.0.0.0" };
        var command = new Command("socketio", "Run the realtime server (the compose 'websocket' service): Socket.IO at /socket.io, events from Redis") { port, bind };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            bench.EnsureLayout();
            var common = new SiteConfig(bench.ReadCommonConfig());
            // Like Frappe's node server: only common config counts, and FRAPPE_* env vars override it.
            var listen = parse.GetValue(port)
                ?? (int.TryParse(Environment.GetEnvironmentVariable("FRAPPE_SOCKETIO_PORT"), out var p) ? p : (int?)null)
                ?? common.GetInt("socketio_port") ?? 9000;
            var builder = RealtimeHosting.CreateStandaloneBuilder(parse.GetValue(bind)!, listen);
            builder.AddSharpBenchSocketio(bench, standalone: true);
            var app = builder.Build();
            app.MapSharpBenchSocketio(standalone: true);
            await RoleHost.RunAsync(app);
            return 0;
        }));
        return command;
    }
}
