using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Sites;

public class ConfigTests
{
    private static JsonObject Common(TempBench b) => (JsonObject)JsonNode.Parse(File.ReadAllText(b.Bench.CommonConfigPath))!;

    [Fact]
    public async Task SetConfigGlobalWritesStringsAndParsedValues()
    {
        await using var b = new TempBench();
        Assert.Equal(0, (await BenchCli.RunAsync(b.Root, "set-config", "-g", "db_host", "mariadb")).ExitCode);
        Assert.Equal(0, (await BenchCli.RunAsync(b.Root, "set-config", "-gp", "db_port", "3306")).ExitCode);
        Assert.Equal(0, (await BenchCli.RunAsync(b.Root, "set-config", "--global", "--parse", "workers", "{\"long2\": {\"timeout\": 9000}}")).ExitCode);
        Assert.Equal(0, (await BenchCli.RunAsync(b.Root, "set-config", "-gp", "developer_mode", "True")).ExitCode);
        Assert.Equal(0, (await BenchCli.RunAsync(b.Root, "set-config", "-g", "socketio_port", "9000")).ExitCode);
        Assert.Equal(0, (await BenchCli.RunAsync(b.Root, "set-config", "-g", "maintenance_mode", "1")).ExitCode);

        var c = Common(b);
        Assert.Equal("mariadb", c["db_host"]!.GetValue<string>());
        Assert.Equal(3306, c["db_port"]!.GetValue<int>());
        Assert.Equal(9000, c["workers"]!["long2"]!["timeout"]!.GetValue<int>());
        Assert.True(c["developer_mode"]!.GetValue<bool>());
        // Without -p a value stays a string, except Frappe's 0/1 coercion.
        Assert.Equal("9000", c["socketio_port"]!.GetValue<string>());
        Assert.Equal(1, c["maintenance_mode"]!.GetValue<int>());
        // Frappe writes sorted keys with a one-space indent.
        var text = File.ReadAllText(b.Bench.CommonConfigPath);
        Assert.StartsWith("{\n \"db_host\"", text);
    }

    [Fact]
    public async Task NoneRemovesAKey()
    {
        await using var b = new TempBench();
        await BenchCli.RunAsync(b.Root, "set-config", "-g", "redis_cache", "redis://x:1");
        Assert.NotNull(Common(b)["redis_cache"]);
        Assert.Equal(0, (await BenchCli.RunAsync(b.Root, "set-config", "-g", "redis_cache", "None")).ExitCode);
        Assert.Null(Common(b)["redis_cache"]);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1, 2")]
    [InlineData("hello")]
    public async Task ParseRejectsNonJsonAndLeavesTheFileAlone(string value)
    {
        await using var b = new TempBench();
        await BenchCli.RunAsync(b.Root, "set-config", "-g", "keep", "me");
        var before = File.ReadAllBytes(b.Bench.CommonConfigPath);

        var r = await BenchCli.RunAsync(b.Root, "set-config", "-gp", "bad", value);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Cannot parse", r.Stderr);
        Assert.Equal(before, File.ReadAllBytes(b.Bench.CommonConfigPath));
    }

    [Fact]
    public async Task BrokenConfigFileIsNamedWithItsPosition()
    {
        await using var b = new TempBench();
        File.WriteAllText(b.Bench.CommonConfigPath, "{\n \"db_host\": \"x\",\n \"oops\"\n}\n");

        var r = await BenchCli.RunAsync(b.Root, "set-config", "-g", "a", "b");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains(b.Bench.CommonConfigPath, r.Stderr);
        // The parser stops at the closing brace on line 4, where the missing value shows.
        Assert.Contains("line 4", r.Stderr);
        Assert.Equal("{\n \"db_host\": \"x\",\n \"oops\"\n}\n", File.ReadAllText(b.Bench.CommonConfigPath));
    }

    [Fact]
    public async Task SiteConfigWinsOverCommonAndShowConfigPrintsTheMerge()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite, setDefault: true);
        await BenchCli.RunAsync(b.Root, "set-config", "-g", "host_name", "https://common.example");
        await BenchCli.RunAsync(b.Root, "set-config", "-g", "only_common", "c");
        Assert.Equal(0, (await BenchCli.RunAsync(b.Root, "--site", site.Name, "set-config", "host_name", "https://site.example")).ExitCode);

        var merged = b.Bench.SiteConfig(site.Name);
        Assert.Equal("https://site.example", merged.GetString("host_name"));
        Assert.Equal("c", merged.GetString("only_common"));

        var shown = await BenchCli.RunAsync(b.Root, "--site", site.Name, "show-config", "--format", "json");
        Assert.Equal(0, shown.ExitCode);
        var json = JsonNode.Parse(shown.Stdout)!;
        Assert.Equal("https://site.example", json["host_name"]!.GetValue<string>());
        Assert.Equal("c", json["only_common"]!.GetValue<string>());

        var table = await BenchCli.RunAsync(b.Root, "show-config");
        Assert.Contains("only_common", table.Stdout);
    }

    [Fact]
    public async Task SiteCommandWithoutSiteSaysHowToPickOne()
    {
        await using var b = new TempBench();
        var r = await BenchCli.RunAsync(b.Root, "set-config", "a", "b");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--site", r.Stderr);
    }

    [Fact]
    public async Task UseWritesDefaultSiteAndCurrentSite()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite);
        var r = await BenchCli.RunAsync(b.Root, "use", site.Name);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(site.Name, Common(b)["default_site"]!.GetValue<string>());
        Assert.Equal(site.Name, File.ReadAllText(Path.Combine(b.Bench.SitesPath, "currentsite.txt")).Trim());

        var missing = await BenchCli.RunAsync(b.Root, "use", "nope.localhost");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal(site.Name, Common(b)["default_site"]!.GetValue<string>());
    }

    [Fact]
    public async Task EnvironmentOverridesWin()
    {
        await using var b = new TempBench();
        var site = await b.CreateSiteAsync(DbKind.Sqlite, setDefault: true);
        await BenchCli.RunAsync(b.Root, "set-config", "-g", "redis_queue", "redis://from-file:1");

        var r = await BenchCli.RunAsync(b.Root, new Dictionary<string, string> { ["FRAPPE_REDIS_QUEUE"] = "redis://from-env:2" }, "show-config", "-f", "json");

        Assert.Equal("redis://from-env:2", JsonNode.Parse(r.Stdout)!["redis_queue"]!.GetValue<string>());
        Assert.Equal("redis://from-file:1", Common(b)["redis_queue"]!.GetValue<string>());
    }
}
