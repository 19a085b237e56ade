using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Sites;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Faults;

/// <summary>
/// Experiment 8 of the fault suite: clients inserting ToDo documents through <c>bench serve</c>
/// into a MariaDB site and a PostgreSQL site, while the server is stopped with SIGTERM or killed
/// with SIGKILL and started again, in turn. Counted per site: acknowledged inserts (200 with the
/// document's name), rows, acknowledged inserts missing from the table (lost), rows nobody
/// acknowledged (requests cut by a kill), 5xx answers and requests left without an answer.
/// Promised: lost = 0 and no 5xx.
/// </summary>
public sealed class ServeKillTests(ITestOutputHelper output)
{
    private const int ClientsPerSite = 4;

    private sealed class Tally
    {
        public readonly ConcurrentDictionary<string, bool> Acknowledged = new(StringComparer.Ordinal);
        public int ServerErrors;
        public int NoAnswer;
    }

    private static async Task WriteAsync(int port, string site, string sid, string tag, Tally tally, CancellationToken stop)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1) })
        { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var description = $"{tag}-{i}";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/resource/ToDo") { Content = LiveServer.Json(new JsonObject { ["description"] = description }) };
            request.Headers.Add("X-Frappe-Site-Name", site);
            request.Headers.Add("Cookie", sid);
            try
            {
                using var response = await http.SendAsync(request, CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                    tally.Acknowledged[description] = true;
                else if ((int)response.StatusCode >= 500)
                    Interlocked.Increment(ref tally.ServerErrors);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref tally.NoAnswer);
                await Task.Delay(20, CancellationToken.None);
            }
        }
    }

    private static async Task<HashSet<string>> DescriptionsAsync(Site site)
    {
        await using var db = await site.OpenDatabaseAsync();
        var rows = await db.QueryAsync($"SELECT {db.Dialect.Quote("description")} AS d FROM {db.Dialect.Quote("tabToDo")}", []);
        return rows.Select(r => (string)r["d"]!).ToHashSet(StringComparer.Ordinal);
    }

    private static int Listening(JobBench jb) => jb.OutputText.Split('\n').Count(l => l.Contains("Now listening on", StringComparison.Ordinal));

    private static async Task<Process> StartServeAsync(JobBench jb, int port)
    {
        var before = Listening(jb);
        var serve = jb.StartBench("serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1");
        await JobBench.WaitUntilAsync(() =>
        {
            Assert.False(serve.HasExited, "bench serve exited:\n" + jb.OutputText);
            return Task.FromResult(Listening(jb) > before);
        }, TimeSpan.FromSeconds(60), "bench serve listens\n" + jb.OutputText);
        return serve;
    }

    [Fact]
    public async Task No_acknowledged_web_write_is_lost_when_serve_is_stopped_or_killed_on_MariaDB_and_PostgreSQL()
    {
        var cycles = FaultSuite.Soak ? 10 : 4;
        var (pauseMin, pauseSpread) = FaultSuite.Soak ? (300, 700) : (800, 700);
        for (var round = 1; round <= FaultSuite.Rounds; round++)
        {
            await using var jb = new JobBench();
            var sites = new[] { (Kind: DbKind.MariaDb, Site: await jb.CreateSiteAsync(DbKind.MariaDb)), (Kind: DbKind.Postgres, Site: await jb.CreateSiteAsync(DbKind.Postgres)) };
            var port = Ports.Free();
            var serve = await StartServeAsync(jb, port);
            var tallies = new Dictionary<DbKind, Tally>();
            using var stop = new CancellationTokenSource();
            var clients = new List<Task>();
            foreach (var (kind, site) in sites)
            {
                using var login = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                login.DefaultRequestHeaders.Add("X-Frappe-Site-Name", site.Name);
                var sid = await ServeProcess.LoginWhenUpAsync(login, "login on " + site.Name);
                tallies[kind] = new Tally();
                for (var c = 0; c < ClientsPerSite; c++)
                {
                    var (tag, tally) = ($"r{round}-c{c}", tallies[kind]);
                    clients.Add(Task.Run(() => WriteAsync(port, site.Name, sid, tag, tally, stop.Token)));
                }
            }
            var random = new Random(round);
            var (terms, kills) = (0, 0);
            for (var cycle = 0; cycle < cycles; cycle++)
            {
                await Task.Delay(pauseMin + random.Next(pauseSpread));
                var signal = cycle % 2 == 0 ? Signals.SigTerm : Signals.SigKill;
                Signals.Send(serve.Id, signal);
                using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(40)))
                    await serve.WaitForExitAsync(exit.Token);
                if (signal == Signals.SigTerm)
                    terms++;
                else
                    kills++;
                serve = await StartServeAsync(jb, port);
            }
            await Task.Delay(1000);
            await stop.CancelAsync();
            await Task.WhenAll(clients);

            foreach (var (kind, site) in sites)
            {
                var tally = tallies[kind];
                var rows = await DescriptionsAsync(site);
                var lost = tally.Acknowledged.Keys.Count(d => !rows.Contains(d));
                var unacknowledged = rows.Count(d => !tally.Acknowledged.ContainsKey(d));
                FaultSuite.Report(output, $"serve-kill {kind} round {round}",
                    ("acknowledged", tally.Acknowledged.Count), ("rows", rows.Count), ("lost", lost), ("unacknowledged_rows", unacknowledged),
                    ("5xx", tally.ServerErrors), ("no_answer", tally.NoAnswer), ("sigterm", terms), ("sigkill", kills));
                Assert.False(tally.Acknowledged.IsEmpty, $"no insert on {kind} was acknowledged");
                Assert.Equal(0, lost);
                Assert.Equal(0, tally.ServerErrors);
            }
        }
    }
}
