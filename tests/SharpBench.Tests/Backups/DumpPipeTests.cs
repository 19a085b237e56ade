using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using SharpBench.Backups;
using SharpBench.Data;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Backups;

/// <summary>
/// The dump tool's output reaches the backup through a pipe read in large, paced chunks: a dump
/// many times the pipe's size arrives whole and in order, a tool that dies midway is reported and
/// leaves no finished-looking file, and a cancelled backup does not wait for the tool.
/// </summary>
public sealed partial class DumpPipeTests
{
    [GeneratedRegex(@"^-- Dump completed on .*$", RegexOptions.Multiline)]
    private static partial Regex DumpDate();

    [Fact]
    public async Task DumpLargerThanThePipeArrivesByteForByte()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.MariaDb);
        // About 8 MiB of text that does not compress, in rows of every size from tiny to 256 KiB.
        await using (var db = await site.OpenDatabaseAsync())
        {
            await db.ExecuteAsync("CREATE TABLE pipe_check (id INT PRIMARY KEY, body LONGTEXT)", []);
            var random = new Random(17);
            for (var i = 0; i < 64; i++)
            {
                var bytes = new byte[i % 8 == 0 ? 1 + i : 40_000 + random.Next(150_000)];
                random.NextBytes(bytes);
                await db.ExecuteAsync("INSERT INTO pipe_check (id, body) VALUES (@p0, @p1)", [i, Convert.ToBase64String(bytes)]);
            }
            await db.CommitAsync();
        }

        var set = await new SiteBackup(b.Bench, _ => { }).TakeAsync(site, new BackupOptions());
        string ours;
        await using (var gzip = new GZipStream(File.OpenRead(set.Database), CompressionMode.Decompress))
        using (var reader = new StreamReader(gzip, Encoding.UTF8))
            ours = await reader.ReadToEndAsync();

        var raw = await RawDumpAsync(site);
        Assert.True(raw.Length > 6 << 20, $"the dump is only {raw.Length} bytes");
        var expected = BackupMetadata.Header(DbKind.MariaDb, site.Name, [], []) + raw + "\n" + BackupMetadata.DumpCompleteMarker + "\n";
        // Only the time stamp mariadb-dump writes on its last line may differ.
        Assert.True(DumpDate().Replace(expected, "") == DumpDate().Replace(ours, ""), $"the backup holds {ours.Length} characters where a direct dump gives {expected.Length}");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task DumpToolFailingMidwayIsReportedAndLeavesNoFinishedFile()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.MariaDb);
        // A mariadb-dump that writes several MiB, then loses its connection.
        var tools = Directory.CreateDirectory(Path.Combine(b.Root, "tools")).FullName;
        var fake = Path.Combine(tools, "mariadb-dump");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\nhead -c 6000000 /dev/urandom | base64\necho 'mariadb-dump: Error 2013: Lost connection to server during query' >&2\nexit 2\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var r = await BenchCli.RunAsync(b.Root, new Dictionary<string, string> { ["PATH"] = tools + ":" + Environment.GetEnvironmentVariable("PATH") }, "--site", site.Name, "backup");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("mariadb-dump failed (exit code 2)", r.Stderr);
        Assert.Contains("Lost connection to server during query", r.Stderr);
        var folder = Path.Combine(site.Path, "private", "backups");
        var left = Directory.Exists(folder) ? Directory.GetFiles(folder).Select(Path.GetFileName).ToList() : [];
        // Neither the database nor the config backup written beside it while the dump ran.
        Assert.DoesNotContain(left, n => BackupNames.Parse(n!) is not null);
        Assert.DoesNotContain(left, n => BackupNames.IsTemporary(n!));
    }

    [Fact]
    public async Task CancelledDumpStopsTheToolAtOnce()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        using var sink = new MemoryStream();
        var clock = Stopwatch.StartNew();
        // Some output, then a tool that hangs with its pipe open.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ToolProcess.RunToStreamAsync("sh", ["-c", "head -c 300000 /dev/zero; sleep 60"], new Dictionary<string, string>(), sink, cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"cancelling took {clock.Elapsed}");
        Assert.Equal(300_000, sink.Length);
    }

    private static async Task<string> RawDumpAsync(Site site)
    {
        var psi = new ProcessStartInfo("mariadb-dump")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--single-transaction", "--quick", "--lock-tables=false", "--no-tablespaces", "--default-character-set=utf8mb4",
                     "-h", TestServices.MariaDbHost, "-P", TestServices.MariaDbPort.ToString(CultureInfo.InvariantCulture),
                     "-u", site.Config.GetString("db_user") ?? site.Config.GetString("db_name")!, site.Config.GetString("db_name")! })
            psi.ArgumentList.Add(a);
        psi.Environment["MYSQL_PWD"] = site.Config.GetString("db_password") ?? "";
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        return await output;
    }
}
