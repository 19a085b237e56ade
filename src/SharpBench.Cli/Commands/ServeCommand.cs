using System.CommandLine;
using SharpBench.Hosting;
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
        var timeout = new Option<int?>("--timeout")
        {
            Description = "Seconds a request may run (gunicorn's --timeout, GUNICORN_TIMEOUT in the image): then it is cancelled and answered 504 (default: no limit)",
        };
        timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is <= 0)
                r.AddError("--timeout must be a positive number of seconds.");
        });
        var reusePort = new Option<bool>("--reuse-port")
        {
            Description = "Bind with SO_REUSEPORT (gunicorn's --reuse-port), so a new serve can start on the port before the old one is stopped: a restart with no refused connection (docs/reliability.md)",
        };
        var command = new Command("serve", "Run the web backend (the compose 'backend' service)") { port, bind, timeout, reusePort };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            bench.EnsureLayout();
            var limit = parse.GetValue(timeout);
            var app = WebServer.Build(bench, parse.GetValue(bind)!, ResolvePort(bench, parse.GetValue(port)), b =>
            {
                b.AddSharpBenchServe(bench);
                if (parse.GetValue(reusePort))
                    ReusePort.Use(b.WebHost);
            });
            if (limit is { } seconds)
                RequestTimeout.Use(app, TimeSpan.FromSeconds(seconds));
            await RoleHost.RunAsync(app);
            return 0;
        }));
        return command;
    }

    public static int ResolvePort(Bench bench, int? given) =>
        given ?? new SiteConfig(bench.ReadCommonConfig()).GetInt("webserver_port") ?? 8000;
}
