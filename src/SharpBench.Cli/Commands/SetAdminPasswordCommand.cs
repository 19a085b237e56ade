using System.CommandLine;
using SharpBench.CoreApp;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary><c>bench --site S set-admin-password PASSWORD</c>: replaces Administrator's login password.</summary>
public static class SetAdminPasswordCommand
{
    public static Command Create()
    {
        var password = new Argument<string>("password") { Description = "The new password" };
        var command = new Command("set-admin-password", "Set the Administrator password of a site") { password };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var pw = parse.GetValue(password);
            if (string.IsNullOrEmpty(pw))
                throw new BenchException("The password may not be empty.");
            foreach (var siteName in CliContext.SelectedSites(parse, bench))
            {
                var site = BenchHost.Sites(bench).Find(siteName) ?? throw new BenchException($"Site {siteName} does not exist");
                await using var db = await site.OpenDatabaseAsync(ct);
                await db.BeginAsync(ct);
                await UserPasswords.SetPasswordAsync(db, "Administrator", pw, ct);
                await db.CommitAsync(ct);
                Console.WriteLine($"Administrator password of {siteName} changed");
            }
            return 0;
        }));
        return command;
    }
}
