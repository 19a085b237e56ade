using System.Text.Json.Nodes;
using SharpBench.Data;

namespace SharpBench.Tests.Jobs;

public class ServeLoadsAppsTests
{
    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

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
        var port = FreePort();
        jb.StartBench("serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1");
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Frappe-Site-Name", site.Name);
        HttpResponseMessage? login = null;
        await JobBench.WaitUntilAsync(async () =>
        {
            try
            {
                login = await http.PostAsync("/api/method/login", new StringContent("{\"usr\":\"Administrator\",\"pwd\":\"admin\"}", System.Text.Encoding.UTF8, "application/json"));
                return login.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "bench serve answers the login\n" + jb.OutputText);
        var sid = login!.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("sid=", StringComparison.Ordinal)).Split(';')[0];

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
