using System.CommandLine;
using SharpBench.Backups;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary><c>bench --site S|all backup [--with-files] [--compress] [--backup-path P] [--include|--exclude DOCTYPES]</c>.</summary>
public static class BackupCommand
{
    public static Command Create()
    {
        var withFiles = new Option<bool>("--with-files") { Description = "Also archive the public and private files" };
        var compress = new Option<bool>("--compress") { Description = "Gzip the files archives (.tgz instead of .tar)" };
        var backupPath = new Option<string?>("--backup-path") { Description = "Folder for every backup file (default: backup_path from config, else {site}/private/backups)" };
        var include = new Option<string?>("--include", "--only", "-i") { Description = "Back up only these DocTypes (comma-separated): a partial backup" };
        var exclude = new Option<string?>("--exclude", "-e") { Description = "Leave these DocTypes out (comma-separated): a partial backup" };
        var command = new Command("backup", "Back up each selected site: database, site config and, with --with-files, its files") { withFiles, compress, backupPath, include, exclude };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            // A backup reads only the sites' configs and databases: a host without the apps will
            // do, which spares each run the app registration every other command pays for.
            var registry = new SiteRegistry(bench, new HostState(bench));
            var options = new BackupOptions
            {
                WithFiles = parse.GetValue(withFiles),
                Compress = parse.GetValue(compress),
                BackupPath = parse.GetValue(backupPath) is { } p ? Path.GetFullPath(p) : null,
                Include = Split(parse.GetValue(include)),
                Exclude = Split(parse.GetValue(exclude)),
            };
            if (options.Include.Count > 0 && options.Exclude.Count > 0)
                throw new BenchException("Use either --include or --exclude, not both.");
            var failed = 0;
            foreach (var name in CliContext.SelectedSites(parse, bench))
            {
                var site = registry.Find(name) ?? throw new BenchException($"Site {name} does not exist");
                BackupSet? set = null;
                try
                {
                    await Progress.RunAsync($"Backing up {name}", async report => set = await new SiteBackup(bench, report).TakeAsync(site, options, ct));
                }
                catch (Exception e) when (e is BenchException or IOException or UnauthorizedAccessException)
                {
                    failed++;
                    await Console.Error.WriteLineAsync($"Error: backup of {name} failed: {e.Message}");
                    continue;
                }
                Console.WriteLine($"Backup Summary for {name} at {SharpBench.Model.SiteTime.Server.Now():yyyy-MM-dd HH:mm:ss}{(set!.Encrypted ? " (encrypted)" : "")}");
                foreach (var (label, path) in new[] { ("Config", set.Config), ("Database", set.Database), ("Public", set.PublicFiles), ("Private", set.PrivateFiles) })
                {
                    if (path is not null)
                        Console.WriteLine($"{label,-9}: {path} {SiteBackup.Size(new FileInfo(path).Length)}");
                }
            }
            return failed == 0 ? 0 : 1;
        }));
        return command;
    }

    private static List<string> Split(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
