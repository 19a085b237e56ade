using System.CommandLine;
using System.Diagnostics;
using SharpBench.Cli.Apps;
using SharpBench.Desk;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary>
/// <c>bench build [--app A]</c>: compiles each app with sources in <c>apps/</c> (<see cref="AppBuilder"/>),
/// then the front-end sources into <c>sites/assets</c>: the core app's desk (<c>desk/</c>, Vite) into <c>sites/assets/frappe/desk</c>; each target is one
/// entry of <see cref="Targets"/> so apps' front ends can join the list. Node and npm are needed
/// here only: what runs serves the built files. The new build replaces the old one in a single
/// rename, so a serving bench never sees half a build.
/// </summary>
public static class BuildCommand
{
    private sealed record Target(string App, string Source, string Output);

    public static Command Create()
    {
        var source = new Option<string?>("--desk-source") { Description = "The desk's source folder (default: desk/ beside the bench's sources, found from the working directory upwards, or SHARPBENCH_DESK)" };
        var skipInstall = new Option<bool>("--skip-install") { Description = "Do not run npm ci even when node_modules is missing or stale" };
        var app = new Option<string?>("--app") { Description = "Build only this app: frappe is the desk; another app is compiled into apps/<app>/bin and its public/ copied to sites/assets/<app>" };
        var command = new Command("build", "Compile the apps and their assets (apps/<app>/bin, sites/assets/<app>) and the desk") { source, skipInstall, app };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var only = parse.GetValue(app);
            if (only is not null && only != Bench.CoreApp && !bench.Apps.Contains(only))
                throw new BenchException($"App {only} is not in this bench (sites/apps.txt): get it with bench get-app, or create it with bench new-app.");
            var apps = bench.Apps.Where(a => a != Bench.CoreApp && (only is null || a == only)).ToList();
            foreach (var name in apps)
            {
                var folder = Path.Combine(bench.Root, "apps", name);
                if (!File.Exists(Path.Combine(folder, name + ".csproj")))
                {
                    // A bench made by an image keeps built apps only; only sources can be built.
                    if (only is not null)
                        throw new BenchException($"apps/{name} holds no sources ({name}.csproj) to build.");
                    continue;
                }
                await Progress.RunAsync($"Building {name}", report => AppBuilder.BuildAsync(bench, name, folder, report, ct));
            }
            if (only is not null && only != Bench.CoreApp)
                return 0;
            var desk = parse.GetValue(source) ?? Environment.GetEnvironmentVariable("SHARPBENCH_DESK") ?? FindDesk();
            if (desk is null || !File.Exists(Path.Combine(desk, "package.json")))
            {
                if (only is null && apps.Count > 0)
                {
                    Console.WriteLine("frappe: the desk's sources were not found; its assets were left as they are.");
                    return 0;
                }
                throw new BenchException("The desk's sources (desk/package.json) were not found: run bench build from the SharpBench checkout, or pass --desk-source");
            }
            foreach (var target in Targets(bench, Path.GetFullPath(desk)))
                await BuildAsync(target, parse.GetValue(skipInstall), ct);
            return 0;
        }));
        return command;
    }

    private static IEnumerable<Target> Targets(Bench bench, string desk) =>
        [new Target("frappe", desk, Path.Combine(bench.SitesPath, "assets", "frappe", "desk"))];

    private static string? FindDesk()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "desk");
                if (File.Exists(Path.Combine(candidate, "package.json")) && File.Exists(Path.Combine(candidate, "vite.config.ts")))
                    return candidate;
            }
        }
        return null;
    }

    private static async Task BuildAsync(Target target, bool skipInstall, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var stamp = Path.Combine(target.Source, "node_modules", ".package-lock.json");
        var lockFile = Path.Combine(target.Source, "package-lock.json");
        if (!skipInstall && (!File.Exists(stamp) || File.GetLastWriteTimeUtc(lockFile) > File.GetLastWriteTimeUtc(stamp)))
        {
            Console.WriteLine($"{target.App}: npm ci");
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], target.Source, ct);
        }
        var parent = Path.GetDirectoryName(target.Output)!;
        Directory.CreateDirectory(parent);
        var staging = target.Output + ".build-" + Environment.ProcessId;
        var old = target.Output + ".old-" + Environment.ProcessId;
        Console.WriteLine($"{target.App}: vite build -> {target.Output}");
        await RunAsync("node", [Path.Combine("node_modules", "vite", "bin", "vite.js"), "build", "--outDir", staging, "--emptyOutDir"], target.Source, ct);
        if (DeskManifest.Read(staging) is null)
            throw new BenchException($"The build wrote no usable manifest ({Path.Combine(staging, ".vite", "manifest.json")})");
        if (Directory.Exists(target.Output))
            Directory.Move(target.Output, old);
        Directory.Move(staging, target.Output);
        if (Directory.Exists(old))
            Directory.Delete(old, recursive: true);
        Console.WriteLine($"{target.App}: built in {sw.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> args, string workingDirectory, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BenchException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new BenchException($"{program} was not found: bench build needs Node.js 20.19+ and npm on PATH (only to build; serving needs neither)");
        }
        using (process)
        {
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
                throw new BenchException($"{program} {string.Join(' ', args)} failed with exit code {process.ExitCode}");
        }
    }
}
