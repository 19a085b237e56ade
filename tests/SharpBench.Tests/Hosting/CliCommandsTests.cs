using SharpBench.Cli;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Hosting;

/// <summary>
/// <c>bench</c> builds only the command a command line names; help, the version and a mistyped
/// command still see every command.
/// </summary>
public sealed class CliCommandsTests
{
    [Fact]
    public void EveryCatalogNameIsItsCommandsName()
    {
        var names = CommandCatalog.All.Select(c => c.Name).ToList();
        Assert.Equal(names, CommandCatalog.All.Select(c => c.Create().Name));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public async Task RootHelpListsEveryCommand(string help)
    {
        await using var b = new TempBench();
        var r = await BenchCli.RunAsync(b.Root, help);
        Assert.True(r.ExitCode == 0, r.Output);
        foreach (var (name, _) in CommandCatalog.All)
            Assert.Contains("  " + name + " ", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpBeforeACommandNameIsThatCommandsHelp()
    {
        await using var b = new TempBench();
        foreach (var args in new[] { new[] { "backup", "--help" }, ["--help", "backup"], ["--site", "x.localhost", "backup", "-h"] })
        {
            var r = await BenchCli.RunAsync(b.Root, args);
            Assert.True(r.ExitCode == 0, r.Output);
            Assert.Contains("bench backup [options]", r.Stdout, StringComparison.Ordinal);
            Assert.Contains("--with-files", r.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AMistypedCommandIsRefusedWithSuggestionsAndTheWholeList()
    {
        await using var b = new TempBench();
        var r = await BenchCli.RunAsync(b.Root, "backpu");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Unrecognized command or argument 'backpu'", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("Did you mean one of the following?\nbackup", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("  list-apps ", r.Stdout, StringComparison.Ordinal);

        r = await BenchCli.RunAsync(b.Root, "nosuch");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Unrecognized command or argument 'nosuch'", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionAndRoleMetricsOptionStillWork()
    {
        await using var b = new TempBench();
        var version = await BenchCli.RunAsync(b.Root, "--version");
        Assert.True(version.ExitCode == 0, version.Output);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Stdout);

        // The --metrics-port every long-running role gets is there when the role is built alone.
        foreach (var role in RoleMetrics.Roles)
        {
            var r = await BenchCli.RunAsync(b.Root, role, "--help");
            Assert.True(r.ExitCode == 0, r.Output);
            Assert.Contains("--metrics-port", r.Stdout, StringComparison.Ordinal);
        }
    }
}
