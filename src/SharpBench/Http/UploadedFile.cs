namespace SharpBench.Http;

/// <summary>
/// A file part of a multipart request, already streamed to a staging file inside the site's
/// private folder (so a later move to its final place is an atomic rename). Disposing deletes
/// the staging file unless a handler moved it away.
/// </summary>
public sealed class UploadedFile(string fieldName, string fileName, string? contentType, string stagedPath, long length, string md5) : IDisposable
{
    public string FieldName { get; } = fieldName;

    /// <summary>The file name the client sent, as sent.</summary>
    public string FileName { get; } = fileName;

    public string? ContentType { get; } = contentType;

    public string StagedPath { get; } = stagedPath;

    public long Length { get; } = length;

    /// <summary>The content's MD5 in lower-case hex (Frappe's <c>content_hash</c>), computed while streaming.</summary>
    public string Md5 { get; } = md5;

    public void Dispose()
    {
        try
        {
            File.Delete(StagedPath);
        }
        catch (IOException)
        {
            // Best effort: a leftover staging file is named .upload-* and never served or linked.
        }
    }
}
