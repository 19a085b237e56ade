using System.CommandLine;
using SharpBench.Jobs;
using SharpBench.Realtime;
using SharpBench.Realtime.Publishing;
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
            var redis = QueueSettings.For(bench).RedisQueue;
            if (redis is null)
                throw new BenchException("bench socketio needs Redis to hear events from other processes: set redis_queue (bench set-config -g redis_queue redis://HOST:PORT).");
            var listen = parse.GetValue(port)
                ?? (int.TryParse(Environment.GetEnvironmentVariable("FRAPPE_SOCKETIO_PORT"), out var p) ? p : (int?)null)
                ?? common.GetInt("socketio_port") ?? 9000;
            var bridge = await RedisBridge.ForUrlAsync(redis);
            var app = RealtimeHosting.BuildStandalone(bench, parse.GetValue(bind)!, listen, bridge);
            await app.RunAsync();
            return 0;
        }));
        return command;
    }
}
