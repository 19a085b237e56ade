namespace SharpBench.Sites;

/// <summary>
/// A cross-process lock on a file (an exclusive open), as Frappe's file locks around
/// config writes and new-site. Released when disposed or when the process dies.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    public static FileLock Acquire(string path, TimeSpan timeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (TimeProvider.System.GetUtcNow() < deadline)
            {
                Thread.Sleep(20);
            }
            catch (IOException e)
            {
                throw new BenchException($"Timed out waiting for the lock {path}; another bench command holds it.", e);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
