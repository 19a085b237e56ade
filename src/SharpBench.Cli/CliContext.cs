using System.CommandLine;
using SharpBench.Sites;

namespace SharpBench.Cli;

/// <summary>What every command shares: the bench, the <c>--site</c> choice, error reporting.</summary>
public static class CliContext
{
    public static readonly Option<string?> SiteOption = new("--site")
    {
        Description = "The site to run the command on, or 'all' (default: FRAPPE_SITE, then the default site)",
        Recursive = true,
    };

    /// <summary>The command a command line runs: its first word that is neither an option nor <c>--site</c>'s value.</summary>
    public static string? CommandName(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == SiteOption.Name)
                i++;
            else if (!args[i].StartsWith('-'))
                return args[i];
        }
        return null;
    }

    public static Bench Bench() => SharpBench.Sites.Bench.Locate();

    /// <summary>The sites a site command acts on: <c>--site X|all</c>, then <c>FRAPPE_SITE</c>, then the default site.</summary>
    public static IReadOnlyList<string> SelectedSites(ParseResult parse, Bench bench)
    {
        var site = parse.GetValue(SiteOption) ?? Environment.GetEnvironmentVariable("FRAPPE_SITE") ?? bench.DefaultSite;
        if (string.IsNullOrWhiteSpace(site))
            throw new BenchException("Please specify --site SITE (or --site all); no default site is set (bench use SITE).");
        if (site == "all")
            return bench.Sites;
        SiteName.Validate(site);
        if (!bench.SiteExists(site))
            throw new BenchException($"Site {site} does not exist");
        return [site];
    }

    public static string SingleSite(ParseResult parse, Bench bench)
    {
        var sites = SelectedSites(parse, bench);
        return sites.Count == 1 ? sites[0] : throw new BenchException("This command works on one site; pass --site SITE.");
    }

    /// <summary>Runs a command body; operator errors print one line and exit 1, without a stack trace.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (BenchException e)
        {
            await Console.Error.WriteLineAsync("Error: " + e.Message);
            return 1;
        }
        catch (InvalidDataException e)
        {
            await Console.Error.WriteLineAsync("Error: " + e.Message);
            return 1;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
    }
}
