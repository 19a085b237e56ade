using System.CommandLine;
using SharpBench.Http;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

public static class ServeCommand
{
    public static Option<int?> PortOption() => new("--port") { Description = "Port to listen on (default: webserver_port from common config, else 8000)" };

    public static Command Create()
    {
        var port = PortOption();
        var bind = new Option<string>("--bind") { Description = "Address to listen on", DefaultValueFactory = _ => "0.0.0.0" };
        var command = new Command("serve", "Run the web backend (the compose 'backend' service)") { port, bind };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            bench.EnsureLayout();
            var app = WebServer.Build(bench, parse.GetValue(bind)!, ResolvePort(bench, parse.GetValue(port)));
            await app.RunAsync();
            return 0;
        }));
        return command;
    }

    public static int ResolvePort(Bench bench, int? given) =>
        given ?? new SiteConfig(bench.ReadCommonConfig()).GetInt("webserver_port") ?? 8000;
}
