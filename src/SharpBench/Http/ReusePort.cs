using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;

namespace SharpBench.Http;

/// <summary>
/// <c>bench serve --reuse-port</c> (gunicorn's <c>--reuse-port</c>): the listening socket is
/// bound with <c>SO_REUSEPORT</c>, so a second <c>bench serve</c> on the same port can start
/// while the first still runs. The kernel then spreads new connections over both, and the old
/// one, sent SIGTERM once the new one answers, stops accepting and drains: a restart with no
/// refused connection (docs/reliability.md, section 6). Every process sharing the port must set it
/// and run as the same user.
/// </summary>
internal static class ReusePort
{
    // SOL_SOCKET and SO_REUSEPORT on Linux; .NET names only SO_REUSEADDR.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    public static void Use(IWebHostBuilder host) =>
        host.UseSockets(o => o.CreateBoundListenSocket = Bind);

    private static Socket Bind(EndPoint endpoint)
    {
        if (endpoint is not IPEndPoint ip || !OperatingSystem.IsLinux())
            return Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ip.Address.Equals(IPAddress.IPv6Any))
                socket.DualMode = true;
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.NoDelay = true;
            socket.Bind(ip);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
