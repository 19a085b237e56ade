using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using SharpBench.Jobs;
using SharpBench.Metrics;
using SharpBench.Sites;
using StackExchange.Redis;

namespace SharpBench.Hosting;

/// <summary>
/// Serves Prometheus text at <c>http://*:PORT/metrics</c> for one role (OpenTelemetry's Prometheus
/// exporter on its own HttpListener): a port of its own, which the frontend never proxies, and off
/// unless <c>--metrics-port</c> or <c>metrics_port</c> (common config) is set.
/// </summary>
internal sealed class MetricsServer : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly MeterProvider _provider;

    private MetricsServer(ServiceProvider services, MeterProvider provider, int port)
    {
        _services = services;
        _provider = provider;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The port: the option when given, else <c>metrics_port</c>; null (off) when neither is a positive number.</summary>
    public static int? PortFor(Bench bench, int? given)
    {
        var port = given ?? new SiteConfig(bench.ReadCommonConfig()).GetInt("metrics_port");
        if (port is < 0 or > 65535)
            throw new BenchException($"metrics_port must be a port number (1-65535), or 0 for no metrics; got {port}.");
        return port is > 0 ? port : null;
    }

    /// <summary>Starts the endpoint for <paramref name="role"/> when a port is set; null when metrics are off.</summary>
    public static MetricsServer? Start(Bench bench, int? given, string role)
    {
        if (PortFor(bench, given) is not { } port)
            return null;
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var settings = QueueSettings.For(bench);
        // Its own connection, made once at start (off the request path): the scrape reads Redis
        // synchronously from the exporter's listener thread.
        if (settings.RedisQueue is { } url)
            _ = new QueueCollector(services.GetRequiredService<IMeterFactory>(), ConnectionMultiplexer.Connect(RedisConnections.Options(url)), settings);
        var provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService("sharpbench-" + role))
            .AddMeter(SharpBenchMetrics.MeterName, QueueCollector.MeterName)
            .AddPrometheusHttpListener(o =>
            {
                o.Port = port;
                // Every interface: Prometheus scrapes the pod or task address, not localhost. The
                // exporter builds its prefix with UriBuilder, which refuses the wildcard host.
                o.ConfigureHttpListener = (_, listener) =>
                {
                    listener.Prefixes.Clear();
                    listener.Prefixes.Add($"http://*:{port}/");
                };
                // Each scrape reads the queues anew (the exporter caches 300 ms by default).
                o.ScrapeResponseCacheDurationMilliseconds = 0;
                // Series without otel_scope_* labels: the metric names say where they come from.
                o.ScopeInfoEnabled = false;
            })
            .Build();
        return new MetricsServer(services, provider, port);
    }

    public void Dispose()
    {
        _provider.Dispose();
        _services.Dispose();
    }
}
