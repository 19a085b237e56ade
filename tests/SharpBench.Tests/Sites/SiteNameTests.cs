using SharpBench.Tests.Support;

namespace SharpBench.Tests.Sites;

public class SiteNameTests
{
    public static TheoryData<string> BadNames => new()
    {
        "a/b", "../etc", "..", "a..b", "has space", ".hidden", new string('a', 65), "x\\y", "%2e%2e", "site;drop",
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task NewSiteRefusesBadNamesAndCreatesNothing(string name)
    {
        await using var bench = new TempBench();
        var before = Directory.GetFileSystemEntries(bench.Root, "*", SearchOption.AllDirectories).Order().ToList();

        var result = await BenchCli.RunAsync(bench.Root, "new-site", name, "--admin-password", "admin", "--db-type", "sqlite");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Invalid site name", result.Stderr);
        var after = Directory.GetFileSystemEntries(bench.Root, "*", SearchOption.AllDirectories).Order().ToList();
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("site1.localhost")]
    [InlineData("erp.example.com")]
    [InlineData("my_site-2")]
    public void AcceptsOrdinaryNames(string name) => Assert.True(SharpBench.Sites.SiteName.IsValid(name));

    [Fact]
    public void SixtyFourCharactersIsTheLimit()
    {
        Assert.True(SharpBench.Sites.SiteName.IsValid(new string('a', 64)));
        Assert.False(SharpBench.Sites.SiteName.IsValid(new string('a', 65)));
    }
}
