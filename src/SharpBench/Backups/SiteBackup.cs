using System.IO.Compression;
using SharpBench.Sites;

namespace SharpBench.Backups;

/// <summary>
/// <c>bench backup</c> for one site. Every file is written under a hidden temporary name and
/// renamed into place only once complete (and encrypted, when the site wants it), so a killed
/// backup never leaves a file that looks like a finished one. Old backups go by
/// <c>keep_backups_for_hours</c> afterwards.
/// </summary>
public sealed class SiteBackup(Bench bench, Action<string> progress)
{
    public async Task<BackupSet> TakeAsync(Site site, BackupOptions options, CancellationToken ct = default)
    {
        var folder = BackupFolder(site, options.BackupPath);
        Directory.CreateDirectory(folder);
        var key = EncryptionKey(site);
        var encrypted = key is not null;
        var includes = await DatabaseDump.TablesForAsync(site, options.Include, ct);
        var excludes = await DatabaseDump.TablesForAsync(site, options.Exclude, ct);
        var partial = includes.Count > 0 || excludes.Count > 0;
        var ts = BackupNames.Timestamp(SharpBench.Model.SiteTime.Server.Now());

        var dbPath = Path.Combine(folder, BackupNames.Database(ts, site.Name, partial, encrypted));
        progress($"Dumping the {site.DatabaseKind.ToString().ToLowerInvariant()} database");
        var database = WriteAtomicallyAsync(dbPath, key, async stream =>
        {
            await using var counted = new ProgressStream(stream, bytes => progress($"Dumping the database: {Size(bytes)} written"));
            await using var gzip = new GZipStream(counted, CompressionLevel.Fastest, leaveOpen: true);
            await gzip.WriteAsync(System.Text.Encoding.UTF8.GetBytes(BackupMetadata.Header(site.DatabaseKind, site.Name, includes, excludes)), ct);
            await DatabaseDump.WriteAsync(site, gzip, includes, excludes, ct);
        }, ct);

        // The config backup (same time stamp) is written and synced while the dump runs, and named
        // as finished only once the database backup is: a failed dump leaves neither.
        var configPath = Path.Combine(folder, BackupNames.Config(ts, site.Name, encrypted));
        var config = WriteAtomicallyAsync(configPath, key, async stream =>
        {
            await using var source = File.OpenRead(Path.Combine(site.Path, Bench.SiteConfigFile));
            await source.CopyToAsync(stream, ct);
        }, ct, renameAfter: database);
        var sweep = Task.Run(() => BackupRetention.Candidates(folder, site.Name), CancellationToken.None);
        await Task.WhenAll(database, config, sweep);

        string? publicPath = null, privatePath = null;
        if (options.WithFiles)
        {
            publicPath = Path.Combine(folder, BackupNames.PublicFiles(ts, site.Name, options.Compress, encrypted));
            privatePath = Path.Combine(folder, BackupNames.PrivateFiles(ts, site.Name, options.Compress, encrypted));
            foreach (var (path, kind) in new[] { (publicPath, "public"), (privatePath, "private") })
            {
                progress($"Archiving {kind} files");
                await WriteAtomicallyAsync(path, key, stream => FileArchive.WriteAsync(bench.SitesPath, site.Name, kind, stream, options.Compress, ct), ct);
            }
        }
        var set = new BackupSet(dbPath, configPath, publicPath, privatePath, encrypted);
        foreach (var removed in BackupRetention.Remove(await sweep, site.Config, set.Files.ToHashSet()))
            progress($"Removed old backup {Path.GetFileName(removed)}");
        return set;
    }

    public static string BackupFolder(Site site, string? explicitPath)
    {
        var configured = explicitPath ?? site.Config.GetString("backup_path");
        return configured is null
            ? Path.Combine(site.Path, "private", "backups")
            : Path.GetFullPath(configured, site.Path);
    }

    /// <summary>
    /// The passphrase when the site encrypts its backups (<c>encrypt_backup</c> in its config, as
    /// System Settings' "Encrypt Backups" in Frappe); a missing <c>backup_encryption_key</c> is
    /// generated and kept in the site config, as Frappe does.
    /// </summary>
    private string? EncryptionKey(Site site)
    {
        if (!site.Config.GetBool("encrypt_backup"))
            return null;
        if (site.Config.GetString("backup_encryption_key") is { Length: > 0 } key)
            return key;
        var generated = Secrets.FernetKey();
        ConfigFile.Update(Path.Combine(site.Path, Bench.SiteConfigFile), c => c["backup_encryption_key"] = generated);
        progress("Generated backup_encryption_key in site_config.json: keep a copy of it away from the backups");
        return generated;
    }

    /// <param name="renameAfter">A write that must succeed before this file takes its final name; when it fails, this file is deleted.</param>
    private static async Task WriteAtomicallyAsync(string finalPath, string? key, Func<Stream, Task> write, CancellationToken ct, Task? renameAfter = null)
    {
        var temp = BackupNames.Temporary(finalPath);
        var plain = key is null ? temp : temp + ".plain.tmp";
        try
        {
            await using (var file = new FileStream(plain, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await write(file);
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }
            if (key is not null)
            {
                await BackupEncryption.EncryptAsync(plain, temp, key, ct);
                File.Delete(plain);
            }
            if (renameAfter is not null)
                await renameAfter;
            File.Move(temp, finalPath, overwrite: true);
        }
        finally
        {
            File.Delete(plain);
            File.Delete(temp);
        }
    }

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.0} MiB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.00} GiB",
    };
}
