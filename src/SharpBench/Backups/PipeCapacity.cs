using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace SharpBench.Backups;

/// <summary>
/// Linux lets a reader enlarge a pipe (<c>F_SETPIPE_SZ</c>, up to <c>/proc/sys/fs/pipe-max-size</c>,
/// 1 MiB by default). A dump tool writes 4 KiB at a time and every write into a pipe wakes its
/// reader; a pipe that holds a whole megabyte lets the reader wait and take it in one go.
/// </summary>
internal static partial class PipeCapacity
{
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ

    /// <summary>Asks for <paramref name="bytes"/> of pipe buffer; false when not Linux or refused.</summary>
    public static bool TryEnlarge(PipeStream pipe, int bytes)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        var handle = pipe.SafePipeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return fcntl((int)handle.DangerousGetHandle(), SetPipeSize, bytes) >= bytes;
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int cmd, int arg);
}
