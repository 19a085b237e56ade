using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SharpBench.Apps;
using SharpBench.Data;
using SharpBench.Hosting;
using SharpBench.Install;
using SharpBench.Jobs;
using SharpBench.Model;
using SharpBench.Sites;
using SharpBench.Tests.App;

namespace SharpBench.Tests.Jobs;

/// <summary>
/// A throwaway bench for job tests: its own bench_id (so its Redis keys never meet another
/// test's), the test app installed under apps/, and a SQLite site. Worker processes are the real
/// <c>bench</c> executable built next to the tests.
/// </summary>
public sealed class JobBench : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly List<(string Name, DbKind Kind)> _serverDatabases = [];

    // The test app is linked into this program, so its benches load that assembly (AppLoader takes
    // the loaded one of the same name) rather than a second copy from apps/.
    static JobBench() => _ = typeof(TestApp).Assembly;

    /// <param name="services">Changes to the bench's services (e.g. a test's realtime bridges), as a host's composition would make them.</param>
    public JobBench(string? redisUrl = null, JsonObject? extraCommon = null, Action<IServiceCollection>? services = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "sb-jobs-" + Guid.NewGuid().ToString("N")[..10]);
        Bench = new Bench(Root);
        Bench.EnsureLayout();
        BenchId = "test-" + Guid.NewGuid().ToString("N")[..12];
        RedisUrl = redisUrl ?? RedisQueue;
        Bench.UpdateCommonConfig(c =>
        {
            c["bench_id"] = BenchId;
            if (RedisUrl.Length > 0)
                c["redis_queue"] = RedisUrl;
            c["worker_reclaim_grace"] = 3;
            // Background roles would lower their priority by 10 and, beside a busy test run on
            // two cores, wait seconds for the CPU; 1 keeps the code path without the starvation.
            c["background_process_niceness"] = 1;
            foreach (var (k, v) in extraCommon ?? [])
                c[k] = v?.DeepClone();
        });
        var appDir = Path.Combine(Root, "apps", TestApp.AppName);
        Directory.CreateDirectory(appDir);
        File.Copy(Path.Combine(AppContext.BaseDirectory, TestApp.AppName + ".dll"), Path.Combine(appDir, TestApp.AppName + ".dll"));
        File.WriteAllText(Path.Combine(Bench.SitesPath, "apps.txt"), "frappe\n" + TestApp.AppName + "\n");
        // The services a host of this bench would hold, sharing the process's Redis connections.
        var collection = new ServiceCollection().AddSingleton(RedisConnections.Outside);
        services?.Invoke(collection);
        Services = collection.AddSharpBenchCore(Bench).BuildServiceProvider();
    }

    /// <summary>The bench's own services: its job queues (its in-process one too) and realtime bridges.</summary>
    public ServiceProvider Services { get; }

    public JobBackends Backends => Services.GetRequiredService<JobBackends>();

    public static string RedisQueue => Environment.GetEnvironmentVariable("SB_REDIS_QUEUE") is { Length: > 0 } v ? v : "redis://127.0.0.1:16379";

    public string Root { get; }
    public Bench Bench { get; }
    public string BenchId { get; }
    public string RedisUrl { get; }

    public QueueSettings Settings => QueueSettings.For(Bench);

    public IJobBackend Backend => Backends.For(Settings);

    /// <summary>The sites as this bench's host resolves them: they carry its <see cref="Host"/>.</summary>
    public SiteRegistry Sites => Services.GetRequiredService<SiteRegistry>();

    /// <summary>The bench's host state: its apps (frappe, sb_test_app) and their methods and hooks.</summary>
    public HostState Host => Services.GetRequiredService<HostState>();

    public async Task<Site> CreateSiteAsync(DbKind kind = DbKind.Sqlite)
    {
        var name = $"j{Guid.NewGuid().ToString("N")[..10]}.localhost";
        // The site installs the bench's test app, as a user names an app with --install-app.
        var options = Support.TestServices.SiteOptions(name, kind) with { InstallApps = [TestApp.AppName] };
        await new SiteCreator(Bench, _ => { }).CreateAsync(options);
        var site = Sites.Find(name)!;
        if (kind != DbKind.Sqlite)
            _serverDatabases.Add((name, kind));
        return site;
    }

    public static async Task<List<Dictionary<string, object?>>> ErrorLogsAsync(Site site)
    {
        await using var db = await site.OpenDatabaseAsync();
        return await db.QueryAsync($"SELECT * FROM {db.Dialect.Quote("tabError Log")}", []);
    }

    public static async Task<List<string>> MarkersAsync(Site site)
    {
        await using var db = await site.OpenDatabaseAsync();
        await JobMethods.EnsureMarkerTableAsync(db, CancellationToken.None);
        var rows = await db.QueryAsync($"SELECT {db.Dialect.Quote("name")} AS n FROM {db.Dialect.Quote(JobMethods.MarkerTable)}", []);
        return rows.Select(r => (string)r["n"]!).Order(StringComparer.Ordinal).ToList();
    }

    public FrappeContext Context(Site site, string user = "Administrator") => new(site, user, Services);

    /// <summary>A worker in this test process (the library loop, not the CLI).</summary>
    public Worker InProcessWorker(WorkerOptions options) =>
        new(Backend, Settings, options with { ReclaimGrace = TimeSpan.FromSeconds(3), HeartbeatInterval = TimeSpan.FromSeconds(1) }, Sites, NullLogger.Instance, Services);

    public string TempFile(string name) => Path.Combine(Root, name);

    /// <summary>Starts <c>bench ARGS</c> in this bench; output is collected into <see cref="Output"/>.</summary>
    public Process StartBench(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bench.dll"));
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["SHARPBENCH_LOG_FORMAT"] = "plain";
        psi.Environment.Remove("FRAPPE_SITE");
        foreach (var (name, value) in ProcessEnvironment)
            psi.Environment[name] = value;
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (Output) Output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (Output) Output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    /// <summary>Extra environment of the <c>bench</c> processes (never of the test process, which other tests share).</summary>
    public Dictionary<string, string> ProcessEnvironment { get; } = [];

    public System.Text.StringBuilder Output { get; } = new();

    public string OutputText
    {
        get
        {
            lock (Output)
                return Output.ToString();
        }
    }

    /// <summary>Runs <c>bench ARGS</c> to completion (at most two minutes) and returns its exit code.</summary>
    public async Task<int> RunBenchAsync(params string[] args)
    {
        var process = StartBench(args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling; fails the test after <paramref name="within"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > within)
                throw new TimeoutException($"Timed out after {within.TotalSeconds} s waiting for: {what}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            try
            {
                if (!p.HasExited)
                    p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
        foreach (var (name, kind) in _serverDatabases)
        {
            try
            {
                await new SiteCreator(Bench, _ => { }).DropAsync(name, Support.TestServices.MariaDbRootUser, Support.TestServices.MariaDbRootPassword, force: true);
            }
            catch (Exception)
            {
                // best effort: the test may have dropped it
            }
        }
        if (RedisUrl.Length > 0)
        {
            try
            {
                var server = (await RedisConnections.Outside.QueueAsync(RedisUrl));
                var db = server.GetDatabase();
                foreach (var ep in server.GetEndPoints())
                {
                    await foreach (var key in server.GetServer(ep).KeysAsync(pattern: "sb:" + BenchId + ":*"))
                        await db.KeyDeleteAsync(key);
                }
            }
            catch (Exception)
            {
                // the Redis of a restart test may be gone already
            }
        }
        await Services.DisposeAsync();
        Database.ClearPool(Root);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
