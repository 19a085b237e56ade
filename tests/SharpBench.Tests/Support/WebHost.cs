using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SharpBench.Hosting;
using SharpBench.Http;
using SharpBench.Sites;

namespace SharpBench.Tests.Support;

/// <summary>A real Kestrel web backend on a free loopback port, for HTTP tests.</summary>
public sealed class WebHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = address };
    }

    public Uri Address { get; }
    public HttpClient Client { get; }

    public static async Task<WebHost> StartAsync(Bench bench)
    {
        var app = WebServer.Build(bench, "127.0.0.1", 0);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
