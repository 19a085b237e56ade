using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace SharpBench.Http;

/// <summary>Frappe's REST API (<c>/api</c>, <c>/api/v1</c>), legacy <c>cmd=</c> RPC on <c>/</c>, and the login page (<c>/app</c> is the desk's: Desk/DeskModule.cs).</summary>
public sealed class ApiModule : IWebModule
{
    public void ConfigureServices(IServiceCollection services)
    {
    }

    public void Map(WebApplication app)
    {
        app.Map("/api/{**rest}", ApiRoutes.HandleAsync);
        app.Map("/", WebPages.HomeAsync);
        app.MapMethods("/login", ["GET", "HEAD", "POST"], WebPages.LoginAsync);
    }
}
