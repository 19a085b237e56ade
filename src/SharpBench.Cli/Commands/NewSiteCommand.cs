using System.CommandLine;
using SharpBench.Data;
using SharpBench.Install;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

public static class NewSiteCommand
{
    public static Command Create()
    {
        var site = new Argument<string>("site") { Description = "Site name, e.g. site1.localhost (also its folder under sites/)" };
        var dbType = new Option<string?>("--db-type") { Description = "mariadb, postgres or sqlite (default: sqlite unless db_host is set in common config)" };
        var dbHost = new Option<string?>("--db-host") { Description = "Database host (written to the site config)" };
        var dbPort = new Option<int?>("--db-port") { Description = "Database port (written to the site config)" };
        var dbSocket = new Option<string?>("--db-socket", "--mariadb-db-socket") { Description = "The database server's Unix socket: MariaDB's socket file, or PostgreSQL's socket folder (written to the site config as db_socket)" };
        var rootUser = new Option<string?>("--db-root-username", "--mariadb-root-username") { Description = "Database superuser (default root, or postgres)" };
        var rootPassword = new Option<string?>("--db-root-password", "--mariadb-root-password") { Description = "Database superuser password (else root_password from config)" };
        var adminPassword = new Option<string?>("--admin-password") { Description = "Password of Administrator (admin_password in config wins, as in Frappe)" };
        var setDefault = new Option<bool>("--set-default") { Description = "Make this the bench's default site" };
        var force = new Option<bool>("--force") { Description = "Reinstall over an existing site (its database is dropped and recreated)" };
        var enableScheduler = new Option<bool>("--enable-scheduler") { Description = "Start with the scheduler enabled (otherwise run enable-scheduler later, as in Frappe)" };
        var installApp = new Option<string[]>("--install-app") { Description = "An app of the bench to install on the site besides frappe (repeat for more), as Frappe's", AllowMultipleArgumentsPerToken = false };
        var noSocket = new Option<bool>("--no-mariadb-socket") { Description = "Accepted for compatibility: the database user may always connect from any host" };

        var command = new Command("new-site", "Create a site: its folder, config, database, the core app and the --install-app apps") { site, dbType, dbHost, dbPort, dbSocket, rootUser, rootPassword, adminPassword, setDefault, force, enableScheduler, installApp, noSocket };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var name = parse.GetValue(site)!;
            SiteName.Validate(name);
            var common = new SiteConfig(bench.ReadCommonConfig());
            var password = common.GetString("admin_password") ?? parse.GetValue(adminPassword) ?? Prompts.Secret("Set Administrator password");
            var options = new NewSiteOptions(name, password)
            {
                DbType = parse.GetValue(dbType) is { } t ? DbKinds.Parse(t) : null,
                DbHost = parse.GetValue(dbHost),
                DbPort = parse.GetValue(dbPort),
                DbSocket = parse.GetValue(dbSocket),
                RootUser = parse.GetValue(rootUser),
                RootPassword = parse.GetValue(rootPassword),
                SetDefault = parse.GetValue(setDefault),
                Force = parse.GetValue(force),
                EnableScheduler = parse.GetValue(enableScheduler),
                InstallApps = parse.GetValue(installApp) ?? [],
            };
            await Progress.RunAsync($"Creating site {name}", report => new SiteCreator(bench, report).CreateAsync(options, ct));
            return 0;
        }));
        return command;
    }
}
