using SharpBench.Realtime.Engine;

namespace SharpBench.Realtime.Sockets;

/// <summary>
/// The Socket.IO side of one Engine.IO session: its sockets (one per namespace joined), and
/// the binary packet being reassembled. Any malformed or out-of-order packet closes the whole
/// connection, as socket.io does.
/// </summary>
internal sealed class SocketClient(SocketServer server, EngineSession engine)
{
    private readonly Dictionary<string, Socket> _sockets = new(StringComparer.Ordinal);
    private SocketPacket? _reconstructing;

    public EngineSession Engine { get; } = engine;

    public int Count
    {
        get
        {
            lock (_sockets)
                return _sockets.Count;
        }
    }

    public async Task OnTextAsync(string text)
    {
        var packet = SocketPacket.TryDecode(text);
        if (packet is null || _reconstructing is not null)
        {
            Engine.Close("parse error");
            return;
        }
        if (packet.Type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck && packet.AttachmentCount > 0)
        {
            _reconstructing = packet;
            return;
        }
        await RouteAsync(packet);
    }

    public async Task OnBinaryAsync(byte[] data)
    {
        var packet = _reconstructing;
        if (packet is null)
        {
            Engine.Close("parse error");
            return;
        }
        packet.Attachments.Add(data);
        if (!packet.IsComplete)
            return;
        _reconstructing = null;
        await RouteAsync(packet);
    }

    private async Task RouteAsync(SocketPacket packet)
    {
        Socket? socket;
        lock (_sockets)
            _sockets.TryGetValue(packet.Namespace, out socket);
        switch (packet.Type)
        {
            case SocketPacketType.Connect when socket is null:
                await server.ConnectAsync(this, packet);
                return;
            case SocketPacketType.Connect:
            case SocketPacketType.ConnectError:
                Engine.Close("parse error");
                return;
            case SocketPacketType.Disconnect:
                socket?.Close("client namespace disconnect");
                return;
            default:
                if (socket is null)
                {
                    Engine.Close("parse error");
                    return;
                }
                await socket.DispatchAsync(packet);
                return;
        }
    }

    internal void Add(Socket socket)
    {
        lock (_sockets)
            _sockets[socket.Namespace.Name] = socket;
    }

    internal void Forget(Socket socket)
    {
        lock (_sockets)
        {
            if (_sockets.TryGetValue(socket.Namespace.Name, out var s) && s == socket)
                _sockets.Remove(socket.Namespace.Name);
        }
    }

    public void OnClose(string reason)
    {
        Socket[] all;
        lock (_sockets)
            all = [.. _sockets.Values];
        foreach (var socket in all)
            socket.Close(reason);
    }
}
