using System.Collections.Concurrent;
using SharpBench.Realtime.Engine;

namespace SharpBench.Realtime.Sockets;

/// <summary>A Socket.IO namespace: its sockets and rooms. Emitting to a room encodes the packet once.</summary>
internal sealed class Namespace(string name)
{
    private readonly ConcurrentDictionary<string, Socket> _sockets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Socket>> _rooms = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public int SocketCount => _sockets.Count;

    public IEnumerable<Socket> Sockets => _sockets.Values;

    internal void Add(Socket socket) => _sockets[socket.Id] = socket;

    internal void Remove(Socket socket) => _sockets.TryRemove(socket.Id, out _);

    internal void AddToRoom(string room, Socket socket)
    {
        lock (_rooms)
        {
            if (!_rooms.TryGetValue(room, out var members))
                _rooms[room] = members = [];
            members.Add(socket);
        }
    }

    internal void RemoveFromRoom(string room, Socket socket)
    {
        lock (_rooms)
        {
            if (_rooms.TryGetValue(room, out var members) && members.Remove(socket) && members.Count == 0)
                _rooms.Remove(room);
        }
    }

    public IReadOnlyList<Socket> InRoom(string room)
    {
        lock (_rooms)
            return _rooms.TryGetValue(room, out var members) ? [.. members] : [];
    }

    public int RoomCount
    {
        get
        {
            lock (_rooms)
                return _rooms.Count;
        }
    }

    /// <summary>
    /// Emits one event with one argument (JSON text) to a room, or to every socket when room is null;
    /// with a <paramref name="batch"/>, the writes wait for its end.
    /// </summary>
    public int EmitJson(string? room, string eventName, string messageJson, DeliveryBatch? batch = null)
    {
        var json = "[" + System.Text.Json.JsonSerializer.Serialize(eventName) + "," + messageJson + "]";
        var packet = OutPacket.Message(SocketPacket.Encode(SocketPacketType.Event, Name, null, json));
        _ = packet.Frame; // encoded once here, not by the first writer of each room member
        var targets = room is null ? [.. _sockets.Values] : InRoom(room);
        foreach (var socket in targets)
            socket.Engine.Send(packet, batch);
        return targets.Count;
    }

    internal IEnumerable<OutPacket> Packets(SocketPacketType type, int? ackId, string json, List<byte[]> attachments)
    {
        yield return OutPacket.Message(SocketPacket.Encode(type, Name, ackId, json, attachments.Count));
        foreach (var a in attachments)
            yield return OutPacket.BinaryMessage(a);
    }
}
