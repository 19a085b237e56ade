using System.CommandLine;
using SharpBench.Install;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

public static class DropSiteCommand
{
    public static Command Create()
    {
        var site = new Argument<string>("site") { Description = "The site to drop" };
        var rootUser = new Option<string?>("--db-root-username", "--mariadb-root-username") { Description = "Database superuser (default root, or postgres)" };
        var rootPassword = new Option<string?>("--db-root-password", "--mariadb-root-password") { Description = "Database superuser password (else root_password from config)" };
        var force = new Option<bool>("--force") { Description = "Archive the site even if its database cannot be reached" };
        var command = new Command("drop-site", "Drop a site's database and user, and move its folder to archived_sites/") { site, rootUser, rootPassword, force };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var name = parse.GetValue(site)!;
            await Progress.RunAsync($"Dropping site {name}", report =>
                new SiteCreator(bench, report).DropAsync(name, parse.GetValue(rootUser), parse.GetValue(rootPassword), parse.GetValue(force), ct));
            return 0;
        }));
        return command;
    }
}
