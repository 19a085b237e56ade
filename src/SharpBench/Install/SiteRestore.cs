using System.Text.Json.Nodes;
using SharpBench.Backups;
using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Sites;

namespace SharpBench.Install;

/// <summary>
/// <c>bench restore</c> and <c>bench partial-restore</c>. Nothing of the target is touched until
/// every input has been decrypted and read to its end; the database is then loaded into a new,
/// scratch database (a new SQLite file, or a new database and login on the server), and only
/// when that load succeeded does the site's config switch to it and the old one is dropped.
/// Files are extracted beside the site's folders and swapped in the same way.
/// </summary>
public sealed class SiteRestore(Bench bench, Action<string> progress)
{
    public async Task RestoreAsync(string siteName, RestoreOptions o, CancellationToken ct = default)
    {
        SiteName.Validate(siteName);
        var exists = bench.SiteExists(siteName);
        var sitePath = bench.SitePath(siteName);
        var work = Directory.CreateTempSubdirectory("sb-restore-");
        // The apps migrate needs are loaded (a reflection scan and every DocType parsed) while the
        // dump loads, which keeps the database server busy and leaves this process mostly waiting.
        var host = o.SkipMigrate ? null : Task.Run(() => BenchHost.Load(bench), ct);
        try
        {
            var key = o.EncryptionKey ?? (exists ? bench.SiteConfig(siteName).GetString("backup_encryption_key") : null);
            var dbFile = await PlainAsync(Find(o.DatabaseFile, sitePath, "database backup"), key, work.FullName, ct);
            // Into an existing site the dump loads into a scratch database, checked as it goes, and
            // a failure only throws the scratch database away: its header is enough up front. A new
            // site would be created first, so there the whole dump is checked before anything is made.
            progress("Checking the database backup");
            var meta = exists ? await DatabaseLoad.ReadHeaderAsync(dbFile, ct) : await DatabaseLoad.ValidateAsync(dbFile, ct);
            if (meta.Partial)
                throw new BenchException("This is a partial backup: restore it with partial-restore. Nothing was changed.");
            if (meta.SchemaVersion is { } v && v > BackupMetadata.CurrentSchemaVersion && !o.Force)
                throw new BenchException($"The backup comes from a newer SharpBench (schema version {v}; this one has {BackupMetadata.CurrentSchemaVersion}). Upgrade SharpBench before restoring it. Nothing was changed.");
            var backupKind = meta.DbType ?? DbKind.MariaDb;
            if (exists)
            {
                var siteKind = DbKinds.Parse(bench.SiteConfig(siteName).GetString("db_type"));
                if (siteKind != backupKind)
                    throw new BenchException($"The backup was taken on {backupKind.ConfigName()} and {siteName} runs on {siteKind.ConfigName()}: a backup restores only onto the same database type. Nothing was changed.");
            }
            string? publicTar = null, privateTar = null;
            foreach (var (given, folder) in new[] { (o.PublicFiles, "public"), (o.PrivateFiles, "private") })
            {
                if (given is null)
                    continue;
                var plain = await PlainAsync(Find(given, sitePath, $"{folder} files archive"), key, work.FullName, ct);
                progress($"Checking the {folder} files archive");
                await FileArchive.ReadAsync(plain, folder, null, ct);
                if (folder == "public")
                    publicTar = plain;
                else
                    privateTar = plain;
            }
            var configBackup = await ReadConfigBackupAsync(Find(o.DatabaseFile, sitePath, "database backup"), key, work.FullName, ct);

            if (!exists)
            {
                progress($"Creating site {siteName} on {backupKind.ConfigName()}");
                await new SiteCreator(bench, progress).CreateAsync(new NewSiteOptions(siteName, o.AdminPassword ?? Secrets.Password())
                {
                    DbType = backupKind,
                    DbHost = o.DbHost,
                    DbPort = o.DbPort,
                    RootUser = o.RootUser,
                    RootPassword = o.RootPassword,
                }, ct);
            }

            using (MaintenanceMode.Enter(bench, siteName))
            {
                await SwapDatabaseAsync(siteName, dbFile, o, ct);
                foreach (var (tar, folder) in new[] { (publicTar, "public"), (privateTar, "private") })
                {
                    if (tar is not null)
                        await SwapFilesAsync(sitePath, tar, folder, ct);
                }
                AdoptEncryptionKey(siteName, configBackup);
            }
            if (host is not null)
            {
                var site = new Site(siteName, sitePath, bench.SiteConfig(siteName), await host);
                foreach (var error in await SiteMigration.RunAsync(bench, site, progress, ct))
                    progress("Error: " + error);
            }
            progress($"Restored {siteName} from {Path.GetFileName(o.DatabaseFile)}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Loads a partial backup (some tables) into the live database. Its tables are replaced as the
    /// dump says (drop, create, insert); on SQLite and PostgreSQL in one transaction, on MariaDB
    /// table by table (its DDL commits), as Frappe's partial-restore does.
    /// </summary>
    public async Task PartialRestoreAsync(string siteName, string file, string? encryptionKey, CancellationToken ct = default)
    {
        var config = bench.SiteConfig(siteName);
        var sitePath = bench.SitePath(siteName);
        var work = Directory.CreateTempSubdirectory("sb-restore-");
        try
        {
            var plain = await PlainAsync(Find(file, sitePath, "database backup"), encryptionKey ?? config.GetString("backup_encryption_key"), work.FullName, ct);
            progress("Checking the backup");
            var meta = await DatabaseLoad.ValidateAsync(plain, ct);
            var siteKind = DbKinds.Parse(config.GetString("db_type"));
            if ((meta.DbType ?? DbKind.MariaDb) != siteKind)
                throw new BenchException($"The backup was taken on {(meta.DbType ?? DbKind.MariaDb).ConfigName()} and {siteName} runs on {siteKind.ConfigName()}. Nothing was changed.");
            if (meta.SchemaVersion is { } v && v > BackupMetadata.CurrentSchemaVersion)
                throw new BenchException($"The backup comes from a newer SharpBench (schema version {v}). Nothing was changed.");
            using (MaintenanceMode.Enter(bench, siteName))
            {
                progress("Loading the tables");
                // Only its connection is used: a host without apps will do.
                var site = new Site(siteName, sitePath, config, new HostState(bench));
                Database.ClearPool(site.Connection.Describe);
                await DatabaseLoad.LoadAsync(site.Connection, plain, ct);
                Database.ClearPool(sitePath);
            }
            progress($"Restored the tables of {Path.GetFileName(file)} into {siteName}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private async Task SwapDatabaseAsync(string siteName, string dbFile, RestoreOptions o, CancellationToken ct)
    {
        var sitePath = bench.SitePath(siteName);
        var config = bench.SiteConfig(siteName);
        var kind = DbKinds.Parse(config.GetString("db_type"));
        var oldName = config.GetString("db_name") ?? throw new BenchException($"{siteName} has no db_name in its config.");
        var newName = "_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        if (kind == DbKind.Sqlite)
        {
            var target = DbConnectionInfo.SqlitePath(sitePath, newName);
            progress("Loading the database into a new SQLite file");
            try
            {
                await DatabaseLoad.LoadCheckedAsync(DbConnectionInfo.Sqlite(target), dbFile, ct);
            }
            catch
            {
                DeleteSqlite(target);
                throw;
            }
            ConfigFile.Update(Path.Combine(sitePath, Bench.SiteConfigFile), c => c["db_name"] = newName);
            DeleteSqlite(DbConnectionInfo.SqlitePath(sitePath, oldName));
            return;
        }
        var endpoint = config.DbEndpoint(kind);
        var user = o.RootUser ?? (kind == DbKind.Postgres ? config.GetString("root_login") ?? "postgres" : "root");
        var rootPassword = o.RootPassword ?? config.GetString("root_password")
            ?? throw new BenchException($"A database root password is needed to restore on {endpoint.Describe}: pass --db-root-password or set root_password.");
        var admin = new DbAdmin(endpoint, user, rootPassword);
        var password = Secrets.Password();
        progress($"Loading the database into a new database {newName} on {admin.Describe}");
        await admin.CreateSiteDatabaseAsync(newName, password, ct);
        var scratch = DbConnectionInfo.Server(endpoint, newName, password, newName);
        try
        {
            try
            {
                // A server without local_infile would refuse the first LOAD DATA after the tables before it were loaded.
                await DatabaseLoad.LoadCheckedAsync(scratch, dbFile, bulk: await admin.TakesLocalInfileAsync(ct), ct);
            }
            catch (BulkLoadRefusedException e)
            {
                progress($"{e.Message} Loading the backup again as plain SQL.");
                await admin.DropSiteDatabaseAsync(newName, CancellationToken.None);
                await admin.CreateSiteDatabaseAsync(newName, password, ct);
                await DatabaseLoad.LoadCheckedAsync(scratch, dbFile, ct);
            }
        }
        catch
        {
            await admin.DropSiteDatabaseAsync(newName, CancellationToken.None);
            throw;
        }
        ConfigFile.Update(Path.Combine(sitePath, Bench.SiteConfigFile), c =>
        {
            c["db_name"] = newName;
            c["db_password"] = password;
            c.Remove("db_user");
        });
        progress($"Dropping the previous database {oldName}");
        try
        {
            await admin.DropSiteDatabaseAsync(oldName, CancellationToken.None);
        }
        catch (BenchException e)
        {
            progress($"Could not drop the previous database {oldName}: {e.Message}");
        }
    }

    private async Task SwapFilesAsync(string sitePath, string tar, string folder, CancellationToken ct)
    {
        var live = Path.Combine(sitePath, folder, "files");
        var incoming = Path.Combine(sitePath, folder, ".files.restoring");
        var old = Path.Combine(sitePath, folder, ".files.replaced");
        foreach (var d in new[] { incoming, old })
        {
            if (Directory.Exists(d))
                Directory.Delete(d, recursive: true);
        }
        progress($"Extracting the {folder} files");
        Directory.CreateDirectory(incoming);
        var count = await FileArchive.ReadAsync(tar, folder, incoming, ct);
        if (Directory.Exists(live))
            Directory.Move(live, old);
        Directory.Move(incoming, live);
        if (Directory.Exists(old))
            Directory.Delete(old, recursive: true);
        progress($"Restored {count} {folder} files");
    }

    /// <summary>
    /// Encrypted fields (API secrets, Password fields) are readable only with the key they were
    /// written with; a config backup beside the database backup carries it, so the site takes it.
    /// </summary>
    private void AdoptEncryptionKey(string siteName, JsonObject? backupConfig)
    {
        if (backupConfig?["encryption_key"] is not JsonValue v || !v.TryGetValue<string>(out var key) || key.Length == 0)
            return;
        var path = Path.Combine(bench.SitePath(siteName), Bench.SiteConfigFile);
        var current = ConfigFile.Read(path)["encryption_key"]?.GetValue<string>();
        if (current == key)
            return;
        ConfigFile.Update(path, c => c["encryption_key"] = key);
        progress("Took encryption_key from the backup's site config, so its encrypted fields stay readable");
    }

    private async Task<JsonObject?> ReadConfigBackupAsync(string dbFile, string? key, string work, CancellationToken ct)
    {
        if (BackupNames.SiblingConfig(dbFile) is not { } path)
            return null;
        var plain = await PlainAsync(path, key, work, ct);
        return ConfigFile.Read(plain);
    }

    /// <summary>The file itself, or its decryption in the work folder when it is encrypted.</summary>
    private async Task<string> PlainAsync(string path, string? key, string work, CancellationToken ct)
    {
        if (!BackupEncryption.IsEncrypted(path))
            return path;
        if (string.IsNullOrEmpty(key))
            throw new BenchException($"{Path.GetFileName(path)} is encrypted: pass --encryption-key or set backup_encryption_key. Nothing was changed.");
        progress($"Decrypting {Path.GetFileName(path)}");
        var output = Path.Combine(work, Path.GetFileName(path).Replace("-enc", "", StringComparison.Ordinal));
        await BackupEncryption.DecryptAsync(path, output, key, ct);
        return output;
    }

    /// <summary>A given path, else (relative and missing) the same name in the site's backups folder or the bench, as Frappe looks.</summary>
    private string Find(string given, string sitePath, string what)
    {
        var candidates = Path.IsPathRooted(given)
            ? [given]
            : new[] { Path.GetFullPath(given), Path.Combine(sitePath, "private", "backups", given), Path.Combine(bench.Root, given), Path.Combine(bench.SitesPath, given) };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new BenchException($"The {what} {given} does not exist. Nothing was changed.");
    }

    private static void DeleteSqlite(string path)
    {
        Database.ClearPool(path);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(path + suffix);
    }
}
