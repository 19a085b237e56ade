using System.Net;
using System.Text;
using SharpBench.Data;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Files.FileTestSupport;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Files;

/// <summary>The File record's round trip (upload, de-dup, private download, delete) on each database.</summary>
public sealed class FileDatabaseTests
{
    public static TheoryData<DbKind> AllDatabases => new() { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres };

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task Upload_dedup_private_download_and_delete_work_on_every_database(DbKind kind)
    {
        await using var server = await LiveServer.StartAsync(kind);
        using var admin = await server.LoginAsync();
        var content = Encoding.UTF8.GetBytes("same bytes on " + kind);
        var first = (await BodyAsync(await admin.PostAsync("/api/method/upload_file", Upload("a.txt", content, ("is_private", "1")))))["message"]!;
        var second = (await BodyAsync(await admin.PostAsync("/api/method/upload_file", Upload("b.txt", content, ("is_private", "1")))))["message"]!;
        Assert.Equal("/private/files/a.txt", (string)first["file_url"]!);
        Assert.Equal("/private/files/a.txt", (string)second["file_url"]!);
        Assert.Equal(Md5(content), (string)second["content_hash"]!);
        Assert.Equal(content, await (await admin.GetAsync("/private/files/a.txt")).Content.ReadAsByteArrayAsync());
        var path = Path.Combine(server.Site.Path, "private", "files", "a.txt");
        Assert.Equal(HttpStatusCode.Accepted, (await admin.DeleteAsync($"/api/resource/File/{first["name"]}")).StatusCode);
        Assert.True(File.Exists(path));
        Assert.Equal(HttpStatusCode.Accepted, (await admin.DeleteAsync($"/api/resource/File/{second["name"]}")).StatusCode);
        Assert.False(File.Exists(path));
        Assert.Equal(2, await server.CountAsync("tabFile"));   // Home and Home/Attachments remain
    }
}
