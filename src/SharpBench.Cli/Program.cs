using System.CommandLine;
using SharpBench.Cli;
using SharpBench.Hosting;

// Before anything else: a web role may replace this process with one tiered for a server.
WebRoleTiering.Apply(args);

// Every command sees the bench's apps (sites/apps.txt -> apps/<app>/<app>.dll): their DocTypes,
// hooks and methods matter to serve, migrate and new-site as much as to the worker. A
// healthcheck, run every few seconds in each container, needs none of them; nor does a backup,
// which must work even when an app's code is broken (that is when one is most wanted).
if (CliContext.CommandName(args) is not ("health" or "backup"))
{
    // An app that cannot load stops every role with its file and reason, never skipped in silence.
    try
    {
        BenchApps.Load(CliContext.Bench(), Console.Error);
    }
    catch (SharpBench.Apps.AppLoadException e)
    {
        Console.Error.WriteLine("Error: " + e.Message);
        return 1;
    }
}

var root = new RootCommand("SharpBench: the Frappe process stack in one executable. Run a command with --help for its options.");
root.Options.Add(CliContext.SiteOption);
foreach (var command in CommandCatalog.For(args))
    root.Subcommands.Add(command);

RoleMetrics.Attach(root);

// Long-running roles stop on SIGTERM through their host's console lifetime (drain, then exit 0);
// the parser must not install its own handler that would kill them after two seconds.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
