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

    [Fact]
    public void ShapeIsLettersDigitsDotDashUnderscoreNotStartingWithAPunctuationMark()
    {
        var shape = new System.Text.RegularExpressions.Regex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z");
        string[] samples = ["a", "Z9", "-site", "_site", "site-", "a_b.c-d", "ü.localhost", "site\n", "site\0", "a\u0660", "a+b", "a@b", "a b", "a\tb"];
        var random = new Random(64);
        const string alphabet = "aZ09._-/ \\ü+\n";
        var generated = Enumerable.Range(0, 2000).Select(_ => new string(Enumerable.Range(0, 1 + random.Next(6)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()));
        foreach (var name in samples.Concat(generated).Where(n => !n.StartsWith('.') && !n.Contains("..", StringComparison.Ordinal)))
            Assert.True(shape.IsMatch(name) == SharpBench.Sites.SiteName.IsValid(name), $"'{name}'");
    }
}
