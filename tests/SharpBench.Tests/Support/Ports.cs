using System.Net;
using System.Net.Sockets;

namespace SharpBench.Tests.Support;

public static class Ports
{
    /// <summary>A loopback port nothing listens on right now, for a server process a test starts.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
