using System.Formats.Tar;
using System.IO.Compression;
using SharpBench.Sites;

namespace SharpBench.Backups;

/// <summary>
/// The files backups, as Frappe's: a tar (a gzipped tar with <c>--compress</c>) whose entries are
/// <c>./{site}/public/files/…</c> or <c>./{site}/private/files/…</c>, so Frappe's restore (which
/// strips two components) and ours read each other's archives.
/// </summary>
public static class FileArchive
{
    public static async Task<long> WriteAsync(string sitesPath, string site, string folder, Stream output, bool compress, CancellationToken ct)
    {
        Stream target = compress ? new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true) : output;
        long count = 0;
        await using (var tar = new TarWriter(target, TarEntryFormat.Pax, leaveOpen: true))
        {
            var root = Path.Combine(sitesPath, site, folder, "files");
            var prefix = $"./{site}/{folder}/files";
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, prefix + "/"), ct);
            if (Directory.Exists(root))
            {
                foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
                {
                    ct.ThrowIfCancellationRequested();
                    var rel = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
                    var info = new FileInfo(path);
                    if (info.LinkTarget is not null)
                        continue; // links could point anywhere; Frappe's uploads are plain files
                    if (Directory.Exists(path))
                    {
                        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, $"{prefix}/{rel}/"), ct);
                        continue;
                    }
                    await tar.WriteEntryAsync(path, $"{prefix}/{rel}", ct);
                    count++;
                }
            }
        }
        if (compress)
            await target.DisposeAsync();
        return count;
    }

    /// <summary>
    /// Reads a whole archive (through gzip when it is one) to its end, so a truncated or corrupted
    /// one is found before anything is changed, and optionally extracts it under
    /// <paramref name="destination"/>, keeping only regular files and folders under
    /// <c>{public|private}/files</c>.
    /// </summary>
    public static async Task<long> ReadAsync(string archivePath, string folder, string? destination, CancellationToken ct)
    {
        await using var file = File.OpenRead(archivePath);
        var magic = new byte[2];
        var isGzip = await file.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, ct) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        Stream source = isGzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        long count = 0;
        try
        {
            await using var tar = new TarReader(source, leaveOpen: true);
            TarEntry? entry;
            while ((entry = await tar.GetNextEntryAsync(copyData: false, ct)) is not null)
            {
                var rel = Relative(entry.Name, folder);
                if (rel is null)
                    continue;
                if (entry.EntryType is TarEntryType.Directory)
                {
                    if (destination is not null)
                        Directory.CreateDirectory(Path.Combine(destination, rel));
                    continue;
                }
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                    continue;
                if (destination is null)
                {
                    if (entry.DataStream is not null)
                        await entry.DataStream.CopyToAsync(Stream.Null, ct);
                }
                else
                {
                    var target = Path.Combine(destination, rel);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    await using var outFile = File.Create(target);
                    if (entry.DataStream is not null)
                        await entry.DataStream.CopyToAsync(outFile, ct);
                }
                count++;
            }
            // Read the gzip trailer too: its checksum catches a corruption in the last block.
            await source.CopyToAsync(Stream.Null, ct);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            throw new BenchException($"{Path.GetFileName(archivePath)} is not a complete files archive ({e.Message}). Nothing was changed.", e);
        }
        finally
        {
            if (isGzip)
                await source.DisposeAsync();
        }
        return count;
    }

    /// <summary>The path below <c>{folder}/files</c> of an entry <c>[./]{site}/{folder}/files/…</c>, or null for anything else.</summary>
    private static string? Relative(string name, string folder)
    {
        var parts = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Count < 3 || parts[1] != folder || parts[2] != "files")
            return null;
        var rest = parts.Skip(3).ToList();
        if (rest.Count == 0 || rest.Any(p => p == ".."))
            return null;
        return Path.Combine(rest.ToArray());
    }
}
