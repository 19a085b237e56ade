using System.CommandLine;
using SharpBench.Backups;
using SharpBench.Install;

namespace SharpBench.Cli.Commands;

/// <summary><c>bench --site S partial-restore SQL_FILE [--encryption-key K]</c>: replaces the tables a partial backup holds.</summary>
public static class PartialRestoreCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("sql-file-path") { Description = "A backup taken with --include or --exclude" };
        var key = new Option<string?>("--encryption-key") { Description = "Key of an encrypted backup (default: the site's backup_encryption_key)" };
        var command = new Command("partial-restore", "Restore the tables of a (partial) backup into a site, leaving its other tables as they are") { file, key };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var name = CliContext.SingleSite(parse, bench);
            await Progress.RunAsync($"Restoring tables into {name}", report => new SiteRestore(bench, report).PartialRestoreAsync(name, parse.GetValue(file)!, parse.GetValue(key), ct));
            return 0;
        }));
        return command;
    }
}
