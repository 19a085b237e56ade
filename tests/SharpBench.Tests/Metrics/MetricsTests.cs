using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using SharpBench.Jobs;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;
using StackExchange.Redis;

namespace SharpBench.Tests.Metrics;

/// <summary>
/// Each exported series against its source, scraped from real role processes over HTTP: the
/// request count against the requests sent, the queue length against the streams in Redis, job
/// outcomes against the jobs run, the scheduler's leader and ticks against its lock.
/// </summary>
public sealed partial class MetricsTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task The_request_count_matches_the_requests_sent_and_metrics_are_not_on_the_web_port()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        var (web, metrics) = (Ports.Free(), Ports.Free());
        bench.StartBench("serve", "--port", Str(web), "--bind", "127.0.0.1", "--metrics-port", Str(metrics));
        await WaitForSiteAsync(web, site.Name, bench);
        var before = await ScrapeAsync(metrics);

        const int pings = 23, lists = 4;
        for (var i = 0; i < pings; i++)
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(web, site.Name, "/api/method/ping")).StatusCode);
        for (var i = 0; i < lists; i++)
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(web, site.Name, "/api/resource/ToDo")).StatusCode);
        // The web port never serves the metrics (the frontend proxies only that port).
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(web, site.Name, "/metrics")).StatusCode);

        var after = await ScrapeAsync(metrics);
        const string ping = "sharpbench_http_request_duration_seconds_count{route_class=\"ping\",status_class=\"2xx\"";
        const string list = "sharpbench_http_request_duration_seconds_count{route_class=\"resource\",status_class=\"4xx\"";
        Assert.Equal(pings, Value(after, ping) - Value(before, ping));
        Assert.Equal(lists, Value(after, list) - Value(before, list));
    }

    [Fact]
    public async Task Queue_length_and_oldest_age_match_the_streams_in_Redis()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using (var ctx = bench.Context(site))
        {
            for (var i = 0; i < 7; i++)
                await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, new EnqueueOptions { Queue = "short" });
            for (var i = 0; i < 3; i++)
                await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, new EnqueueOptions { Queue = "long", AtFront = i == 0 });
        }
        await Task.Delay(1200);
        // No worker runs: every role reads the queues at scrape time, the scheduler too.
        var metrics = Ports.Free();
        bench.StartBench("schedule", "--metrics-port", Str(metrics));
        var text = await ScrapeWhenUpAsync(metrics, bench);

        var redis = (await ConnectionMultiplexer.ConnectAsync(JobBench.RedisQueue.Replace("redis://", "", StringComparison.Ordinal))).GetDatabase();
        var key = "sb:" + bench.BenchId + ":queue:";
        var shortLength = await redis.StreamLengthAsync(key + "short");
        var longLength = await redis.StreamLengthAsync(key + "long") + await redis.StreamLengthAsync(key + "long:front");
        Assert.Equal(7, shortLength);
        Assert.Equal(3, longLength);
        Assert.True(shortLength == Value(text, "sharpbench_queue_length{queue=\"short\""), text);
        Assert.Equal(longLength, Value(text, "sharpbench_queue_length{queue=\"long\""));
        Assert.Equal(0, Value(text, "sharpbench_queue_length{queue=\"default\""));
        var age = Value(text, "sharpbench_queue_oldest_job_age_seconds{queue=\"short\"");
        Assert.InRange(age, 1.0, 120.0);
        Assert.Equal(0, Value(text, "sharpbench_queue_oldest_job_age_seconds{queue=\"default\""));
    }

    [Fact]
    public async Task Job_outcomes_and_durations_count_the_jobs_a_worker_ran()
    {
        await using var bench = new JobBench();
        var site = await bench.CreateSiteAsync();
        await using (var ctx = bench.Context(site))
        {
            for (var i = 0; i < 5; i++)
                await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.noop", null, new EnqueueOptions { Queue = "short" });
            for (var i = 0; i < 2; i++)
                await BackgroundJobs.EnqueueAsync(ctx, "sb_test_app.jobs.fail", new { why = "metrics" }, new EnqueueOptions { Queue = "short" });
        }
        var metrics = Ports.Free();
        bench.StartBench("worker", "--queue", "short", "--metrics-port", Str(metrics));
        string text = "";
        await JobBench.WaitUntilAsync(async () =>
        {
            text = await TryScrapeAsync(metrics) ?? "";
            // Counted when each job ends; the queue entries go a moment later. Each gauge reads
            // Redis on its own during a scrape, so one scrape can hold the waiting count from
            // before the jobs ran and the counters from after: wait for a scrape that agrees.
            return Value(text, "sharpbench_jobs_total{queue=\"short\",status=\"finished\"") + Value(text, "sharpbench_jobs_total{queue=\"short\",status=\"failed\"") >= 7
                && Value(text, "sharpbench_queue_started{queue=\"short\"") == 0
                && Value(text, "sharpbench_queue_length{queue=\"short\"") == 0;
        }, TimeSpan.FromSeconds(60), "7 jobs counted\n" + bench.OutputText);

        Assert.Equal(5, Value(text, "sharpbench_jobs_total{queue=\"short\",status=\"finished\""));
        Assert.Equal(2, Value(text, "sharpbench_jobs_total{queue=\"short\",status=\"failed\""));
        Assert.Equal(5, Value(text, "sharpbench_job_duration_seconds_count{queue=\"short\",status=\"finished\""));
        Assert.Equal(0, Value(text, "sharpbench_queue_length{queue=\"short\""));
    }

    [Fact]
    public async Task The_scheduler_reports_its_leadership_and_ticks()
    {
        await using var bench = new JobBench(extraCommon: new() { ["scheduler_tick_interval"] = 1, ["scheduler_lease"] = 3 });
        var metrics = Ports.Free();
        bench.StartBench("schedule", "--metrics-port", Str(metrics));
        var text = "";
        await JobBench.WaitUntilAsync(async () =>
        {
            text = await TryScrapeAsync(metrics) ?? "";
            return Value(text, "sharpbench_scheduler_ticks_total") >= 2;
        }, TimeSpan.FromSeconds(60), "two ticks\n" + bench.OutputText);

        var redis = (await ConnectionMultiplexer.ConnectAsync(JobBench.RedisQueue.Replace("redis://", "", StringComparison.Ordinal))).GetDatabase();
        var holder = (string?)await redis.StringGetAsync("sb:" + bench.BenchId + ":scheduler:leader");
        Assert.NotNull(holder);
        Assert.Equal(1, Value(text, "sharpbench_scheduler_leader"));
    }

    [Fact]
    public async Task Metrics_are_off_unless_a_port_is_set_and_a_bad_port_is_a_clear_error()
    {
        await using var bench = new JobBench();
        bench.Bench.UpdateCommonConfig(c => c["metrics_port"] = 70000);
        var code = await bench.RunBenchAsync("schedule");
        Assert.Equal(1, code);
        Assert.Contains("metrics_port must be a port number (1-65535), or 0 for no metrics; got 70000.", bench.OutputText, StringComparison.Ordinal);

        bench.Bench.UpdateCommonConfig(c => c["metrics_port"] = 0);
        var (web, unused) = (Ports.Free(), Ports.Free());
        var site = await bench.CreateSiteAsync();
        bench.StartBench("serve", "--port", Str(web), "--bind", "127.0.0.1");
        await WaitForSiteAsync(web, site.Name, bench);
        Assert.Null(await TryScrapeAsync(unused));
    }

    private static async Task WaitForSiteAsync(int port, string site, JobBench bench) =>
        await JobBench.WaitUntilAsync(async () =>
        {
            try
            {
                return (await SendAsync(port, site, "/api/method/ping")).StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "bench serve answering ping\n" + bench.OutputText);

    private static string Str(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task<HttpResponseMessage> SendAsync(int port, string host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
        request.Headers.Host = host;
        return await Http.SendAsync(request);
    }

    private static async Task<string?> TryScrapeAsync(int port)
    {
        try
        {
            using var r = await Http.GetAsync($"http://127.0.0.1:{port}/metrics");
            return r.IsSuccessStatusCode ? await r.Content.ReadAsStringAsync() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<string> ScrapeAsync(int port) =>
        await TryScrapeAsync(port) ?? throw new InvalidOperationException($"no metrics on port {port}");

    private static async Task<string> ScrapeWhenUpAsync(int port, JobBench bench)
    {
        string? text = null;
        // The first scrape may come before the role has set up its queue collector.
        await JobBench.WaitUntilAsync(async () => (text = await TryScrapeAsync(port))?.Contains("sharpbench_queue_length", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(60), "queue metrics\n" + bench.OutputText);
        return text!;
    }

    /// <summary>The value of the first sample whose line starts with <paramref name="prefix"/> (labels may follow); 0 when absent.</summary>
    private static double Value(string text, string prefix)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            var rest = line[prefix.Length..];
            if (rest.Length > 0 && rest[0] is not (',' or '}' or ' ' or '{'))
                continue;
            var m = SampleValue().Match(line);
            if (m.Success)
                return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        return 0;
    }

    [GeneratedRegex(@"\}?\s+([-+0-9.eE]+|NaN)(\s+\d+)?\s*$")]
    private static partial Regex SampleValue();
}
