using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Jobs;

public class ServeLoadsAppsTests
{
    /// <summary>
    /// An app in sites/apps.txt is loaded by <c>bench serve</c> too, so its whitelisted methods
    /// answer over HTTP (the test process has the app in memory already; only a separate process
    /// shows the web role loads it itself).
    /// </summary>
    [Fact]
    public async Task ServeAnswersAnInstalledAppsWhitelistedMethod()
    {
        await using var jb = new JobBench();
        var site = await jb.CreateSiteAsync(DbKind.Sqlite);
        var port = Ports.Free();
        jb.StartBench("serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1");
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Frappe-Site-Name", site.Name);
        var sid = await ServeProcess.LoginWhenUpAsync(http, "bench serve answers the login\n" + jb.OutputText);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/method/sb_test_app.jobs.enqueue_from_web")
        {
            Content = new StringContent("{\"marker\":\"from-serve\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Cookie", sid);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, body);
        Assert.False(string.IsNullOrEmpty(JsonNode.Parse(body)!["message"]?.GetValue<string>()), body);
    }
}
