using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpBench.Apps;
using SharpBench.Desk;
using SharpBench.Http;
using SharpBench.Sites;

namespace SharpBench.Hosting;

/// <summary>
/// The web backend role (<c>bench serve</c>), and the host every other in-process role of
/// <c>bench start</c> joins. Features add their endpoints as <see cref="IWebModule"/> services:
/// the REST API and files always, others (realtime under <c>bench start</c>) passed to <see cref="Build"/>.
/// </summary>
public static class WebServer
{
    private static IEnumerable<IWebModule> StandardModules() => [new ApiModule(), new FilesModule(), new DeskModule()];

    /// <summary>
    /// Host options every role's web host uses. The content root is the program's folder, not
    /// the bench: the host watches its content root for config changes, and in the bench every
    /// SQLite write under sites/ would wake that watcher.
    /// </summary>
    public static WebApplicationOptions CreateHostOptions() => new()
    {
        ContentRootPath = AppContext.BaseDirectory,
        Args = ["--hostBuilder:reloadConfigOnChange=false"],
    };

    /// <param name="modules">Endpoint groups beyond ping, the REST API and files (realtime, …).</param>
    public static WebApplication Build(Bench bench, string bind, int port, Action<WebApplicationBuilder>? configure = null, IEnumerable<IWebModule>? modules = null)
    {
        var builder = WebApplication.CreateSlimBuilder(WebServer.CreateHostOptions());
        builder.WebHost.UseUrls($"http://{(bind.Contains(':') ? $"[{bind}]" : bind)}:{port}");
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Frappe's nginx allows 50 MB bodies; anything bigger is refused before it is read.
            k.Limits.MaxRequestBodySize = 50L * 1024 * 1024;
        });
        Logging.Configure(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(bench);
        builder.Services.AddSharpBenchModel();
        builder.Services.AddSingleton<ApiPipeline>();
        builder.Services.AddSingleton<SiteResolver>();
        builder.Services.AddHealthChecks();
        foreach (var module in StandardModules().Concat(modules ?? []))
        {
            builder.Services.AddSingleton(module);
            module.ConfigureServices(builder.Services);
        }
        configure?.Invoke(builder);

        var app = builder.Build();
        if (TrustedProxies.Options(bench.ReadCommonConfig()) is { } forwarded)
            app.UseForwardedHeaders(forwarded);
        app.UseMiddleware<Metrics.RequestMetrics>();
        app.UseMiddleware<SiteMiddleware>();
        app.MapHealthChecks("/healthz");
        PingEndpoint.Map(app);
        foreach (var module in app.Services.GetServices<IWebModule>())
            module.Map(app);
        return app;
    }
}
