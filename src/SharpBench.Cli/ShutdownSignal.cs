using System.Runtime.InteropServices;

namespace SharpBench.Cli;

/// <summary>
/// The stop request of a long-running role that runs without a web host: SIGTERM (a container
/// stop) or SIGINT (Ctrl+C) cancels <see cref="Token"/> instead of killing the process, so the
/// role can finish its current work and exit 0.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _interrupt;

    public ShutdownSignal()
    {
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    }

    public CancellationToken Token => _stop.Token;

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
    }

    public void Dispose()
    {
        _term.Dispose();
        _interrupt.Dispose();
        _stop.Dispose();
    }
}
