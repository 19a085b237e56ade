using SharpBench.Data;
using SharpBench.Install;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Sites;

public class DropSiteTests
{
    /// <summary>
    /// In the image, sites/ is a volume and archived_sites/ sits in the bench folder on another file
    /// system: drop-site failed there with "Invalid cross-device link" and left the site in place.
    /// </summary>
    [Fact]
    public async Task DropSiteArchivesAcrossFileSystems()
    {
        if (!Directory.Exists("/dev/shm"))
            Assert.Fail("this test needs /dev/shm (a tmpfs) as a second file system");
        await using var b = new TempBench();
        var elsewhere = Path.Combine("/dev/shm", "sb-archive-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(elsewhere);
        try
        {
            Directory.CreateSymbolicLink(b.Bench.ArchivedSitesPath, elsewhere);
            var site = await b.CreateSiteAsync(DbKind.Sqlite);
            File.WriteAllText(Path.Combine(b.Bench.SitePath(site.Name), "public", "files", "kept.txt"), "kept");

            await new SiteCreator(b.Bench, _ => { }).DropAsync(site.Name, "", "", force: false);

            Assert.False(Directory.Exists(b.Bench.SitePath(site.Name)));
            Assert.Equal("kept", File.ReadAllText(Path.Combine(elsewhere, site.Name, "public", "files", "kept.txt")));
            Assert.True(File.Exists(Path.Combine(elsewhere, site.Name, "site_config.json")));
            Assert.Empty(Directory.GetDirectories(elsewhere, "*.partial-*"));
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }
}
