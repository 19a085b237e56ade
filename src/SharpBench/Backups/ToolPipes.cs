using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SharpBench.Backups;

/// <summary>How a dump tool's output pipe is read.</summary>
internal static partial class ToolPipes
{
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ

    /// <summary>
    /// Linux lets a reader enlarge a pipe (<c>F_SETPIPE_SZ</c>, up to <c>/proc/sys/fs/pipe-max-size</c>,
    /// 1 MiB by default). A dump tool writes 4 KiB at a time and every write into a pipe wakes its
    /// reader; a pipe that holds a whole megabyte lets the reader wait and take it in one go.
    /// Returns false when not on Linux or refused.
    /// </summary>
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

    /// <summary>
    /// A plain, unbuffered file stream over the pipe's descriptor, for blocking reads. On Unix a
    /// <see cref="PipeStream"/> does its reads through the socket layer, which a one-shot command
    /// would load and start (with its telemetry) for nothing. The pipe keeps the descriptor: it is
    /// closed with the process's stream, after the returned one is disposed.
    /// </summary>
    public static Stream OpenForReading(Stream processOutput)
    {
        if (!OperatingSystem.IsLinux() || processOutput is not PipeStream pipe)
            return processOutput;
        return new FileStream(new SafeFileHandle(pipe.SafePipeHandle.DangerousGetHandle(), ownsHandle: false), FileAccess.Read, bufferSize: 0);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int cmd, int arg);
}
