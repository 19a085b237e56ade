using System.CommandLine;
using SharpBench.Backups;
using SharpBench.Install;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary>
/// <c>bench --site S restore DB_FILE [--with-public-files F] [--with-private-files F]
/// [--db-root-username U] [--db-root-password P] [--encryption-key K]</c>: into an existing site or
/// a new one, then migrate.
/// </summary>
public static class RestoreCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("sql-file-path") { Description = "The database backup (…-database.sql.gz)" };
        var publicFiles = new Option<string?>("--with-public-files") { Description = "The public files archive to restore" };
        var privateFiles = new Option<string?>("--with-private-files") { Description = "The private files archive to restore" };
        var rootUser = new Option<string?>("--db-root-username", "--mariadb-root-username") { Description = "Database superuser (default root, or postgres)" };
        var rootPassword = new Option<string?>("--db-root-password", "--mariadb-root-password") { Description = "Database superuser password (else root_password from config)" };
        var key = new Option<string?>("--encryption-key") { Description = "Key of an encrypted backup (default: the site's backup_encryption_key)" };
        var dbHost = new Option<string?>("--db-host") { Description = "For a new site: its database server (default: db_host from common config)" };
        var dbPort = new Option<int?>("--db-port") { Description = "For a new site: the database server's port" };
        var adminPassword = new Option<string?>("--admin-password") { Description = "For a new site: Administrator's password until the restore replaces it" };
        var force = new Option<bool>("--force") { Description = "Restore a backup taken by a newer SharpBench schema anyway" };
        var skipMigrate = new Option<bool>("--skip-migrate") { Description = "Do not migrate after restoring" };
        var command = new Command("restore", "Restore a site from a backup (into a new site when it does not exist), then migrate it")
        { file, publicFiles, privateFiles, rootUser, rootPassword, key, dbHost, dbPort, adminPassword, force, skipMigrate };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            bench.EnsureLayout();
            var name = parse.GetValue(CliContext.SiteOption) ?? Environment.GetEnvironmentVariable("FRAPPE_SITE") ?? bench.DefaultSite
                ?? throw new BenchException("Please specify --site SITE.");
            if (name == "all")
                throw new BenchException("restore works on one site; pass --site SITE.");
            SiteName.Validate(name);
            var options = new RestoreOptions(parse.GetValue(file)!)
            {
                PublicFiles = parse.GetValue(publicFiles),
                PrivateFiles = parse.GetValue(privateFiles),
                RootUser = parse.GetValue(rootUser),
                RootPassword = parse.GetValue(rootPassword),
                EncryptionKey = parse.GetValue(key),
                DbHost = parse.GetValue(dbHost),
                DbPort = parse.GetValue(dbPort),
                AdminPassword = parse.GetValue(adminPassword),
                Force = parse.GetValue(force),
                SkipMigrate = parse.GetValue(skipMigrate),
            };
            using var restoreLock = FileLock.Acquire(Path.Combine(bench.Root, "config", "locks", $"site_restore-{name}.lock"), TimeSpan.FromSeconds(1));
            await Progress.RunAsync($"Restoring {name}", report => new SiteRestore(bench, report).RestoreAsync(name, options, ct));
            return 0;
        }));
        return command;
    }
}
