using System.CommandLine;
using SharpBench.Hosting;
using SharpBench.Http;
using SharpBench.Install;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

public static class StartCommand
{
    public const string FirstSite = "site1.localhost";

    public static Command Create()
    {
        var port = ServeCommand.PortOption();
        var bind = new Option<string>("--bind") { Description = "Address to listen on (localhost: both IPv4 and IPv6 loopback)", DefaultValueFactory = _ => "localhost" };
        var command = new Command("start", "Run every role in one process (the quick start); creates a first site on SQLite when there is none") { port, bind };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            bench.EnsureLayout();
            await EnsureFirstSiteAsync(bench, ct);
            var app = WebServer.Build(bench, parse.GetValue(bind)!, ServeCommand.ResolvePort(bench, parse.GetValue(port)), b => b.AddSharpBenchStart(bench));
            app.MapSharpBenchSocketio();
            await RoleHost.RunAsync(app);
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// A fresh bench gets site1.localhost on SQLite, made the default, with a generated
    /// Administrator password shown once, so the quick start needs no other step.
    /// </summary>
    private static async Task EnsureFirstSiteAsync(Bench bench, CancellationToken ct)
    {
        var sites = bench.Sites;
        if (sites.Count == 0)
        {
            var password = Secrets.Password(12);
            await Progress.RunAsync($"Creating {FirstSite} (no site yet)", report =>
                new SiteCreator(bench, report).CreateAsync(new NewSiteOptions(FirstSite, password) { DbType = Data.DbKind.Sqlite, SetDefault = true }, ct));
            Console.WriteLine();
            Console.WriteLine($"  Site:     {FirstSite} (default site)");
            Console.WriteLine($"  Login:    Administrator");
            Console.WriteLine($"  Password: {password}   (shown once; change it with bench --site {FirstSite} set-admin-password)");
            Console.WriteLine();
        }
        else if (bench.DefaultSite is null && sites.Count == 1)
        {
            bench.Use(sites[0]);
        }
    }
}
