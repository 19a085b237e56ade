using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace SharpBench.Http;

/// <summary>A group of endpoints a web host serves (the REST API, files, the desk, realtime under <c>bench start</c>).</summary>
public interface IWebModule
{
    void ConfigureServices(IServiceCollection services);

    void Map(WebApplication app);
}
