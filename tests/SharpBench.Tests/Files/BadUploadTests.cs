using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SharpBench.Model;
using SharpBench.Sites;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Files.FileTestSupport;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Files;

/// <summary>
/// The files issue's bad inputs, and finding 4 of the security issue (multipart bodies past the
/// limits): each gets Frappe's status and envelope, and the site's File, Comment and ToDo rows
/// and its file folders are the same before and after.
/// </summary>
public sealed class BadUploadTests : IAsyncLifetime
{
    private const long MaxFile = 1024 * 1024;
    private LiveServer _server = null!;
    private HttpClient _admin = null!;
    private readonly CookieContainer _cookies = new();

    public async ValueTask InitializeAsync()
    {
        _server = await LiveServer.StartAsync(siteConfig: c => c["max_file_size"] = MaxFile);
        _admin = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = _server.BaseUri };
        var login = await _admin.PostAsync("/api/method/login", Json(new JsonObject { ["usr"] = "Administrator", ["pwd"] = "admin" }));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        // Something on disk and in the database that a bad request could disturb.
        var r = await _admin.PostAsync("/api/method/upload_file", Upload("keep.txt", Encoding.UTF8.GetBytes("keep")));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await File.WriteAllTextAsync(Path.Combine(_server.Site.Path, "private", "files", "other.txt"), "someone else's");
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    private async Task ExpectUnchangedAsync(Func<Task> act)
    {
        var before = await SnapshotAsync(_server);
        await act();
        Assert.Equal(before, await SnapshotAsync(_server));
    }

    private static async Task ExpectAsync(HttpResponseMessage r, HttpStatusCode status, string excType)
    {
        var body = await BodyAsync(r);
        Assert.True(r.StatusCode == status, $"expected {status}, got {r.StatusCode}: {body.ToJsonString()}");
        Assert.Equal(excType, (string?)body["exc_type"]);
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("../../site_config.json")]
    [InlineData("dir/name.txt")]
    [InlineData("nul\0byte.txt")]
    [InlineData("C:\\Windows\\evil.txt")]
    [InlineData("C:evil.txt")]
    [InlineData("..")]
    public Task A_file_name_that_is_a_path_is_refused(string name) => ExpectUnchangedAsync(async () =>
        await ExpectAsync(await _admin.PostAsync("/api/method/upload_file", Upload(name, [1, 2, 3])), HttpStatusCode.ExpectationFailed, "ValidationError"));

    [Theory]
    [InlineData("/files/../site_config.json")]
    [InlineData("/private/files/../../site_config.json")]
    [InlineData("/files/%2e%2e/site_config.json")]
    [InlineData("/etc/passwd")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/files/missing.txt")]
    public Task A_file_url_outside_the_site_files_is_refused(string url) => ExpectUnchangedAsync(async () =>
    {
        var r = await _admin.PostAsync("/api/method/upload_file", Content(Body(null, null, ("file_url", url), ("file_name", "x.txt"))));
        await ExpectAsync(r, HttpStatusCode.ExpectationFailed, (string)(await BodyAsync(r))["exc_type"]! is "IOError" ? "IOError" : "ValidationError");
    });

    [Fact]
    public async Task Registering_someone_elses_private_file_by_url_is_refused()
    {
        using var jane = await UserAsync("jane.url@example.com");
        await ExpectUnchangedAsync(async () =>
            await ExpectAsync(await jane.PostAsync("/api/method/upload_file", Content(Body(null, null, ("file_url", "/private/files/other.txt")))),
                HttpStatusCode.Forbidden, "PermissionError"));
    }

    [Theory]
    [InlineData("/files/%2e%2e/site_config.json")]
    [InlineData("/files/..%2fsite_config.json")]
    [InlineData("/files/%2e%2e%2f%2e%2e%2fsite_config.json")]
    [InlineData("/private/files/../../site_config.json")]
    [InlineData("/private/files/%2e%2e/%2e%2e/site_config.json")]
    [InlineData("/files/../../site_config.json")]
    [InlineData("/private/files/.upload-x.part")]
    public async Task A_traversal_in_a_file_path_is_a_404_and_never_the_config(string target)
    {
        var (status, text) = await RawAsync(_server.BaseUri, $"GET {target} HTTP/1.1\r\nHost: {_server.BaseUri.Authority}\r\nConnection: close\r\n\r\n");
        Assert.True(status is 404 or 403, $"{target}: {status}");
        Assert.DoesNotContain("db_name", text);
        Assert.DoesNotContain("encryption_key", text);
        var (adminStatus, adminText) = await RawAsync(_server.BaseUri,
            $"GET {target} HTTP/1.1\r\nHost: {_server.BaseUri.Authority}\r\nCookie: {Cookie()}\r\nConnection: close\r\n\r\n");
        // A path that names no File record is refused like a forbidden one (403), as in Frappe.
        Assert.True(adminStatus is 404 or 403, $"{target}: {adminStatus}");
        Assert.DoesNotContain("db_name", adminText);
    }

    private string Cookie() =>
        string.Join("; ", _cookies.GetCookies(_server.BaseUri).Select(c => $"{c.Name}={c.Value}"));

    [Fact]
    public Task An_upload_whose_length_is_over_the_limit_is_413_before_the_body_is_read() => ExpectUnchangedAsync(async () =>
    {
        var head = $"POST /api/method/upload_file HTTP/1.1\r\nHost: {_server.BaseUri.Authority}\r\nCookie: {Cookie()}\r\n" +
            $"Content-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: {45 * 1024 * 1024}\r\n\r\n";
        // Only the head is sent: the answer must come without the server waiting for 45 MB.
        var (status, text) = await RawAsync(_server.BaseUri, head, readAll: false);
        Assert.Equal(413, status);
        Assert.Contains("text/html", text);
    });

    [Fact]
    public Task An_upload_that_streams_past_the_limit_is_417_and_leaves_no_file() => ExpectUnchangedAsync(async () =>
    {
        // No Content-Length (chunked): the limit is found while streaming.
        var body = Body("big.bin", new byte[MaxFile + 1]);
        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/method/upload_file") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var r = await _admin.SendAsync(request);
        await ExpectAsync(r, HttpStatusCode.ExpectationFailed, "MaxFileSizeReachedError");
    });

    [Fact]
    public Task A_truncated_multipart_body_is_417_and_leaves_no_file() => ExpectUnchangedAsync(async () =>
    {
        var body = Body("cut.bin", new byte[200_000]);
        var truncated = body[..(body.Length - 60_000)];
        var r = await _admin.PostAsync("/api/method/upload_file", Content(truncated));
        await ExpectAsync(r, HttpStatusCode.ExpectationFailed, "ValidationError");
    });

    [Fact]
    public Task A_guest_may_not_upload_unless_system_settings_allow_it() => ExpectUnchangedAsync(async () =>
    {
        using var guest = _server.Client();
        await ExpectAsync(await guest.PostAsync("/api/method/upload_file", Upload("hello.png", [1, 2, 3])), HttpStatusCode.Forbidden, "PermissionError");
    });

    [Fact]
    public async Task A_website_user_may_not_upload_an_executable_nor_may_an_allowed_guest()
    {
        using var web = await UserAsync("web.upload@example.com", "Website User");
        await ExpectUnchangedAsync(async () =>
            await ExpectAsync(await web.PostAsync("/api/method/upload_file", Upload("setup.exe", [0x4d, 0x5a])), HttpStatusCode.ExpectationFailed, "ValidationError"));
        await SetAsync("allow_guests_to_upload_files", "1");
        try
        {
            using var guest = _server.Client();
            await ExpectUnchangedAsync(async () =>
                await ExpectAsync(await guest.PostAsync("/api/method/upload_file", Upload("run.sh", [0x23, 0x21])), HttpStatusCode.ExpectationFailed, "ValidationError"));
            var ok = await guest.PostAsync("/api/method/upload_file", Upload("photo.png", [0x89, 0x50, 0x4e, 0x47]));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("Guest", (string)(await BodyAsync(ok))["message"]!["owner"]!);
        }
        finally
        {
            await SetAsync("allow_guests_to_upload_files", "0");
        }
    }

    [Fact]
    public async Task Extensions_outside_allowed_file_extensions_are_refused()
    {
        await SetAsync("allowed_file_extensions", "PNG\nPDF");
        try
        {
            await ExpectUnchangedAsync(async () =>
                await ExpectAsync(await _admin.PostAsync("/api/method/upload_file", Upload("notes.txt", [1])), HttpStatusCode.ExpectationFailed, "FileTypeNotAllowed"));
        }
        finally
        {
            await SetAsync("allowed_file_extensions", "");
        }
    }

    // Finding 4: multipart bodies no longer skip the request limits.

    [Fact]
    public Task A_text_part_over_the_request_limit_is_413_and_stores_nothing() => ExpectUnchangedAsync(async () =>
    {
        var big = new string('d', 9 * 1024 * 1024);
        var r = await _admin.PostAsync("/api/resource/ToDo", Content(Body(null, null, ("description", big))));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
    });

    [Fact]
    public Task A_guest_gets_the_small_text_limit_and_no_file_parts() => ExpectUnchangedAsync(async () =>
    {
        using var guest = _server.Client();
        var text = await guest.PostAsync("/api/method/no.such.method", Content(Body(null, null, ("x", new string('g', 600_000)))));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, text.StatusCode);
        var file = await guest.PostAsync("/api/method/no.such.method", Upload("blob.bin", new byte[10_000]));
        Assert.Equal(HttpStatusCode.Forbidden, file.StatusCode);
        var big = await guest.PostAsync("/api/method/no.such.method", Upload("blob.bin", new byte[900_000]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        var staged = Directory.EnumerateFiles(Path.Combine(_server.Site.Path, "private", "files"), ".upload-*");
        Assert.Empty(staged);
    });

    private async Task SetAsync(string field, string value)
    {
        await using var db = await _server.DbAsync();
        await db.BeginAsync();
        await SharpBench.Data.SystemSettings.SetAsync(db, field, value);
        await db.CommitAsync();
    }

    private async Task<HttpClient> UserAsync(string email, string userType = "System User")
    {
        var r = await _admin.PostAsync("/api/resource/User", Json(new JsonObject { ["email"] = email, ["first_name"] = "U", ["user_type"] = userType }));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await using (var db = await _server.DbAsync())
            await UserPasswords.SetPasswordAsync(db, email, "pw-secret");
        return await _server.LoginAsync(email, "pw-secret");
    }
}
