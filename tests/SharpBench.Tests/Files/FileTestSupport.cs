using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Files;

/// <summary>Multipart bodies built by hand (so bad names and broken bodies can be sent), and a view of what a site holds.</summary>
internal static class FileTestSupport
{
    public const string Boundary = "----sbtestboundary7MA4YWxkTrZu0gW";

#pragma warning disable CA5351 // Frappe's content_hash is an MD5.
    public static string Md5(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));
#pragma warning restore CA5351

    /// <summary>A multipart body: text fields, then (when <paramref name="fileName"/> is set) the file part.</summary>
    public static byte[] Body(string? fileName, byte[]? content, params (string Key, string Value)[] fields)
    {
        using var ms = new MemoryStream();
        void W(string s) => ms.Write(Encoding.UTF8.GetBytes(s));
        foreach (var (k, v) in fields)
            W($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n");
        if (fileName is not null)
        {
            W($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            ms.Write(content ?? []);
            W("\r\n");
        }
        W($"--{Boundary}--\r\n");
        return ms.ToArray();
    }

    public static ByteArrayContent Content(byte[] body)
    {
        var c = new ByteArrayContent(body);
        c.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        return c;
    }

    public static ByteArrayContent Upload(string fileName, byte[] content, params (string Key, string Value)[] fields) =>
        Content(Body(fileName, content, fields));

    /// <summary>Every File and Comment row and every file under the site's public and private folders.</summary>
    public static async Task<string> SnapshotAsync(LiveServer server)
    {
        var parts = new List<string>();
        await using (var db = await server.DbAsync())
        {
            foreach (var table in new[] { "tabFile", "tabComment", "tabToDo" })
            {
                var rows = await db.QueryAsync($"SELECT * FROM {db.Dialect.Quote(table)}", []);
                parts.Add(table + ":" + string.Join("|", rows.Select(r => string.Join(",", r.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))).Order()));
            }
        }
        foreach (var folder in new[] { "public", "private" })
        {
            var root = Path.Combine(server.Site.Path, folder);
            if (Directory.Exists(root))
                parts.AddRange(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order().Select(f => $"{Path.GetRelativePath(server.Site.Path, f)}:{new FileInfo(f).Length}"));
        }
        return string.Join("\n", parts);
    }

    /// <summary>Sends request bytes as they are (HttpClient would normalise dot segments) and returns status line and body.</summary>
    public static async Task<(int Status, string Text)> RawAsync(Uri server, string head, byte[]? body = null, bool readAll = true)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        if (body is not null)
        {
            try
            {
                await stream.WriteAsync(body);
            }
            catch (IOException)
            {
                // The server may answer and close before taking the whole body.
            }
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cts.Token)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (!readAll && Encoding.ASCII.GetString(buffer.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal))
                    break;
            }
        }
        catch (IOException)
        {
        }
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var status = text.Length > 12 && int.TryParse(text.AsSpan(9, 3), out var s) ? s : 0;
        return (status, text);
    }
}
