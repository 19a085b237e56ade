using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SharpBench.Hosting;

/// <summary>
/// The health file of a web role (<c>serve</c>, <c>socketio</c>): every <see cref="Period"/> the
/// role asks its own <c>/healthz</c> over loopback, through Kestrel like any client, and beats
/// when the answer is 200. So the file proves the listener accepts and the pipeline answers
/// (for <c>socketio</c>, also that it is subscribed to Redis), and a probe only reads its age.
/// </summary>
internal sealed class WebHealthBeat(string role, IServer server, IHostApplicationLifetime lifetime, ILoggerFactory loggers) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger("bench." + role);
        // The addresses exist once the server has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        if (HealthzUrl() is not { } url)
            return;
        // Five missed checks: one slow GC or a busy core is no reason for a restart.
        var health = new HealthFile(role, Period * 5);
        using var client = new HttpClient { Timeout = Period };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync(url, stoppingToken);
                if (response.IsSuccessStatusCode)
                    health.Beat(m => logger.LogWarning("{Warning}", m));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not answering (or too slowly) is what the stale file reports.
            }
            try
            {
                await Task.Delay(Period, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>The first address Kestrel listens on, as a loopback URL (a wildcard bind is reached on loopback).</summary>
    private Uri? HealthzUrl()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address.Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal)
                .Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            return null;
        var host = uri.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            _ => uri.Host.Contains(':', StringComparison.Ordinal) && !uri.Host.StartsWith('[') ? $"[{uri.Host}]" : uri.Host,
        };
        return new Uri($"{uri.Scheme}://{host}:{uri.Port}/healthz");
    }
}
