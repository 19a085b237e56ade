using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SharpBench.Model;
using SharpBench.Sites;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Files.FileTestSupport;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Files;

/// <summary>upload_file, the File DocType and file serving, through real HTTP against one site.</summary>
public sealed class UploadTests : IAsyncLifetime
{
    private LiveServer _server = null!;
    private HttpClient _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await LiveServer.StartAsync();
        _admin = await _server.LoginAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    private string PublicPath(string name) => Path.Combine(_server.Site.Path, "public", "files", name);

    private string PrivatePath(string name) => Path.Combine(_server.Site.Path, "private", "files", name);

    private static async Task<JsonObject> MessageAsync(HttpResponseMessage r)
    {
        var body = await BodyAsync(r);
        Assert.True(r.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return (JsonObject)body["message"]!;
    }

    private async Task<HttpClient> UserAsync(string email, string userType = "System User")
    {
        var r = await _admin.PostAsync("/api/resource/User", Json(new JsonObject { ["email"] = email, ["first_name"] = "U", ["user_type"] = userType }));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await using (var db = await _server.DbAsync())
            await UserPasswords.SetPasswordAsync(db, email, "pw-secret");
        return await _server.LoginAsync(email, "pw-secret");
    }

    private async Task<string> TodoAsync(HttpClient client)
    {
        var r = await client.PostAsync("/api/resource/ToDo", Json(new JsonObject { ["description"] = "with files" }));
        return (string)(await BodyAsync(r))["data"]!["name"]!;
    }

    [Fact]
    public async Task Folders_Home_and_Home_Attachments_exist_on_a_new_site()
    {
        var home = await BodyAsync(await _admin.GetAsync("/api/resource/File/Home"));
        Assert.Equal(1, (int)home["data"]!["is_home_folder"]!);
        var attachments = await BodyAsync(await _admin.GetAsync("/api/resource/File/Home%2FAttachments"));
        Assert.Equal("Home", (string)attachments["data"]!["folder"]!);
        Assert.Equal(1, (int)attachments["data"]!["is_attachments_folder"]!);
    }

    [Fact]
    public async Task An_upload_is_stored_served_back_byte_identical_and_described_in_the_envelope()
    {
        var content = RandomBytes(300_000);
        var todo = await TodoAsync(_admin);
        var file = await MessageAsync(await _admin.PostAsync("/api/method/upload_file",
            Upload("report one.txt", content, ("doctype", "ToDo"), ("docname", todo), ("fieldname", "description"))));
        Assert.Equal("/files/report one.txt", (string)file["file_url"]!);
        Assert.Equal("report one.txt", (string)file["file_name"]!);
        Assert.Equal(300_000, (long)file["file_size"]!);
        Assert.Equal(Md5(content), (string)file["content_hash"]!);
        Assert.Equal("TXT", (string)file["file_type"]!);
        Assert.Equal("Home", (string)file["folder"]!);
        Assert.Equal("ToDo", (string)file["attached_to_doctype"]!);
        Assert.Equal("description", (string)file["attached_to_field"]!);
        Assert.Equal("File", (string)file["doctype"]!);
        Assert.Equal(0, (int)file["is_private"]!);
        Assert.Null(file["thumbnail_url"]);
        Assert.Equal(content, await File.ReadAllBytesAsync(PublicPath("report one.txt")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_server.Site.Path, "private", "files"), ".upload-*"));

        using var anonymous = _server.Client();
        var served = await anonymous.GetAsync("/files/report%20one.txt");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(content, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(1, await _server.CountAsync("tabComment", "reference_name = @p0 AND comment_type = 'Attachment'", todo));
    }

    [Fact]
    public async Task A_taken_name_gets_the_content_hash_suffix_and_equal_content_is_stored_once()
    {
        var a = Encoding.UTF8.GetBytes("first content");
        var b = Encoding.UTF8.GetBytes("second content");
        var first = await MessageAsync(await _admin.PostAsync("/api/method/upload_file", Upload("same.txt", a)));
        var second = await MessageAsync(await _admin.PostAsync("/api/method/upload_file", Upload("same.txt", b)));
        var copy = await MessageAsync(await _admin.PostAsync("/api/method/upload_file", Upload("other-name.txt", a)));
        Assert.Equal("/files/same.txt", (string)first["file_url"]!);
        Assert.Equal($"/files/same{Md5(b)[^6..]}.txt", (string)second["file_url"]!);
        Assert.Equal("/files/same.txt", (string)copy["file_url"]!);
        Assert.False(File.Exists(PublicPath("other-name.txt")));
        Assert.Equal(b, await File.ReadAllBytesAsync(PublicPath($"same{Md5(b)[^6..]}.txt")));

        // Deleting one of two records that share bytes keeps them; deleting the last removes them.
        Assert.Equal(HttpStatusCode.Accepted, (await _admin.DeleteAsync($"/api/resource/File/{first["name"]}")).StatusCode);
        Assert.True(File.Exists(PublicPath("same.txt")));
        Assert.Equal(HttpStatusCode.Accepted, (await _admin.DeleteAsync($"/api/resource/File/{copy["name"]}")).StatusCode);
        Assert.False(File.Exists(PublicPath("same.txt")));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/files/same.txt")).StatusCode);
    }

    [Fact]
    public async Task Two_concurrent_uploads_of_one_name_both_keep_their_bytes()
    {
        var a = RandomBytes(2_000_000);
        var b = RandomBytes(2_000_000);
        var results = await Task.WhenAll(
            _admin.PostAsync("/api/method/upload_file", Upload("race.bin", a)),
            _admin.PostAsync("/api/method/upload_file", Upload("race.bin", b)));
        var urls = new List<string>();
        foreach (var r in results)
            urls.Add((string)(await MessageAsync(r))["file_url"]!);
        Assert.NotEqual(urls[0], urls[1]);
        var served = new List<byte[]>();
        foreach (var url in urls)
            served.Add(await (await _admin.GetAsync(Uri.EscapeDataString(url).Replace("%2F", "/", StringComparison.Ordinal))).Content.ReadAsByteArrayAsync());
        Assert.Contains(served, s => s.SequenceEqual(a));
        Assert.Contains(served, s => s.SequenceEqual(b));
    }

    [Fact]
    public async Task A_private_file_is_for_its_owner_and_readers_of_its_document_only()
    {
        var content = Encoding.UTF8.GetBytes(new string('p', 5000));
        var todo = await TodoAsync(_admin);
        var file = await MessageAsync(await _admin.PostAsync("/api/method/upload_file",
            Upload("secret.pdf", content, ("is_private", "1"), ("doctype", "ToDo"), ("docname", todo))));
        Assert.Equal("/private/files/secret.pdf", (string)file["file_url"]!);
        Assert.Equal("Home", (string)file["folder"]!);
        Assert.True(File.Exists(PrivatePath("secret.pdf")));

        using var guest = _server.Client();
        var denied = await guest.GetAsync("/private/files/secret.pdf");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.DoesNotContain("ppppp", await denied.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await guest.GetAsync("/files/secret.pdf")).StatusCode);

        using var jane = await UserAsync("jane.files@example.com");
        Assert.Equal(HttpStatusCode.Forbidden, (await jane.GetAsync("/private/files/secret.pdf")).StatusCode);
        var janeDownload = await jane.GetAsync("/api/method/download_file?file_url=/private/files/secret.pdf");
        Assert.Equal(HttpStatusCode.Forbidden, janeDownload.StatusCode);

        var ok = await _admin.GetAsync("/private/files/secret.pdf");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(content, await ok.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", ok.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(ok.Headers.ETag);

        using var range = new HttpRequestMessage(HttpMethod.Get, "/private/files/secret.pdf");
        range.Headers.Range = new RangeHeaderValue(10, 19);
        var partial = await _admin.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(10, (await partial.Content.ReadAsByteArrayAsync()).Length);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/private/files/secret.pdf");
        conditional.Headers.IfNoneMatch.Add(ok.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await _admin.SendAsync(conditional)).StatusCode);

        using var accel = new HttpRequestMessage(HttpMethod.Get, "/private/files/secret.pdf");
        accel.Headers.Add("X-Use-X-Accel-Redirect", "True");
        var handed = await _admin.SendAsync(accel);
        Assert.Equal(HttpStatusCode.OK, handed.StatusCode);
        Assert.Equal("/protected/private/files/secret.pdf", handed.Headers.GetValues("X-Accel-Redirect").Single());
        Assert.Empty(await handed.Content.ReadAsByteArrayAsync());

        var download = await _admin.GetAsync("/api/method/download_file?file_url=/private/files/secret.pdf");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("page.html")]
    [InlineData("image.svg")]
    [InlineData("feed.xml")]
    public async Task Markup_files_are_served_as_downloads_with_the_security_headers(string name)
    {
        var content = Encoding.UTF8.GetBytes("<script>alert(1)</script>");
        await MessageAsync(await _admin.PostAsync("/api/method/upload_file", Upload(name, content)));
        using var anonymous = _server.Client();
        var served = await anonymous.GetAsync("/files/" + name);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("attachment", served.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("SAMEORIGIN", served.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("1; mode=block", served.Headers.GetValues("X-XSS-Protection").Single());
        Assert.Equal("same-origin, strict-origin-when-cross-origin", served.Headers.GetValues("Referrer-Policy").Single());
        Assert.StartsWith("max-age=63072000", served.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task Attach_file_stores_base64_content_and_sets_the_field()
    {
        var content = RandomBytes(4000);
        var todo = await TodoAsync(_admin);
        var r = await _admin.PostAsync("/api/method/frappe.client.attach_file", Json(new JsonObject
        {
            ["filename"] = "scan.png",
            ["filedata"] = "data:image/png;base64," + Convert.ToBase64String(content),
            ["decode_base64"] = 1,
            ["doctype"] = "ToDo",
            ["docname"] = todo,
            ["docfield"] = "description",
        }));
        var file = await MessageAsync(r);
        Assert.Equal("/files/scan.png", (string)file["file_url"]!);
        Assert.Equal(content, await File.ReadAllBytesAsync(PublicPath("scan.png")));
        var doc = await BodyAsync(await _admin.GetAsync($"/api/resource/ToDo/{todo}"));
        Assert.Equal("/files/scan.png", (string)doc["data"]!["description"]!);
    }

    [Fact]
    public async Task Attaching_to_a_document_needs_write_on_it()
    {
        var todo = await TodoAsync(_admin);
        using var jane = await UserAsync("jane.attach@example.com");
        var before = await SnapshotAsync(_server);
        var r = await jane.PostAsync("/api/method/upload_file", Upload("mine.txt", [1, 2, 3], ("doctype", "ToDo"), ("docname", todo)));
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal("PermissionError", (string?)(await BodyAsync(r))["exc_type"]);
        var b64 = await jane.PostAsync("/api/method/frappe.client.attach_file", Json(new JsonObject
        {
            ["filename"] = "x.txt",
            ["filedata"] = "eA==",
            ["decode_base64"] = 1,
            ["doctype"] = "ToDo",
            ["docname"] = todo,
        }));
        Assert.Equal(HttpStatusCode.Forbidden, b64.StatusCode);
        Assert.Equal(before, await SnapshotAsync(_server));
    }

    internal static byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        Random.Shared.NextBytes(b);
        return b;
    }
}
