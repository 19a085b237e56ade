using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using SharpBench.Realtime.Engine;

namespace SharpBench.Realtime.Sockets;

/// <summary>One client's membership of one namespace, with its rooms and event handlers.</summary>
internal sealed class Socket
{
    private readonly Dictionary<string, Func<SocketEvent, Task>> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<SocketEvent>> _acks = new();
    private readonly HashSet<string> _rooms = new(StringComparer.Ordinal);
    private int _nextAck;

    internal Socket(string id, Namespace nsp, EngineSession engine)
    {
        Id = id;
        Namespace = nsp;
        Engine = engine;
    }

    public string Id { get; }
    public Namespace Namespace { get; }
    public EngineSession Engine { get; }
    public HandshakeRequest Request => Engine.Request;
    public bool Connected { get; private set; } = true;

    /// <summary>What middleware and handlers keep on the socket (user, site, open docs…).</summary>
    public ConcurrentDictionary<string, object?> Data { get; } = new(StringComparer.Ordinal);

    /// <summary>Raised once, after the socket left all its rooms; the argument is socket.io's reason text.</summary>
    public event Action<Socket, string>? Disconnected;

    public void On(string eventName, Func<SocketEvent, Task> handler) => _handlers[eventName] = handler;

    public IReadOnlyCollection<string> Rooms
    {
        get
        {
            lock (_rooms)
                return [.. _rooms];
        }
    }

    public void Join(string room)
    {
        lock (_rooms)
        {
            if (!Connected || !_rooms.Add(room))
                return;
        }
        Namespace.AddToRoom(room, this);
    }

    public void Leave(string room)
    {
        lock (_rooms)
        {
            if (!_rooms.Remove(room))
                return;
        }
        Namespace.RemoveFromRoom(room, this);
    }

    public void Emit(string eventName, params object?[] args) => Send(SocketPacketType.Event, null, [eventName, .. args]);

    /// <summary>Emits and waits for the client's ack; cancelled when the socket disconnects or the timeout passes.</summary>
    public async Task<SocketEvent> EmitWithAckAsync(TimeSpan timeout, string eventName, params object?[] args)
    {
        var id = Interlocked.Increment(ref _nextAck) - 1;
        var tcs = new TaskCompletionSource<SocketEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        _acks[id] = tcs;
        try
        {
            Send(SocketPacketType.Event, id, [eventName, .. args]);
            return await tcs.Task.WaitAsync(timeout);
        }
        finally
        {
            _acks.TryRemove(id, out _);
        }
    }

    internal void SendAck(int id, object?[] values) => Send(SocketPacketType.Ack, id, values);

    private void Send(SocketPacketType type, int? ackId, IEnumerable<object?> values)
    {
        var attachments = new List<byte[]>();
        var json = SocketArgs.ToArray(values, attachments).ToJsonString();
        foreach (var packet in Namespace.Packets(type, ackId, json, attachments))
            Engine.Send(packet);
    }

    internal async Task DispatchAsync(SocketPacket packet)
    {
        var data = (JsonArray)packet.Data!;
        if (packet.Type is SocketPacketType.Ack or SocketPacketType.BinaryAck)
        {
            if (_acks.TryRemove(packet.AckId!.Value, out var waiter))
                waiter.TrySetResult(new SocketEvent(this, "", data, packet.Attachments, null));
            return;
        }
        var name = data[0]!.ToString();
        if (!_handlers.TryGetValue(name, out var handler))
            return;
        var args = new JsonArray();
        foreach (var a in data.Skip(1).ToList())
        {
            data.Remove(a);
            args.Add(a);
        }
        await handler(new SocketEvent(this, name, args, packet.Attachments, packet.AckId));
    }

    /// <summary>A server-side disconnect: tells the client (<c>41</c>), which then does not reconnect by itself.</summary>
    public void Disconnect()
    {
        if (!Connected)
            return;
        Engine.Send(OutPacket.Message(SocketPacket.Encode(SocketPacketType.Disconnect, Namespace.Name, null, null)));
        Close("server namespace disconnect");
    }

    internal void Close(string reason)
    {
        string[] rooms;
        lock (_rooms)
        {
            if (!Connected)
                return;
            Connected = false;
            rooms = [.. _rooms];
            _rooms.Clear();
        }
        foreach (var room in rooms)
            Namespace.RemoveFromRoom(room, this);
        Namespace.Remove(this);
        (Engine.State as SocketClient)?.Forget(this);
        foreach (var waiter in _acks.Values)
            waiter.TrySetCanceled();
        Disconnected?.Invoke(this, reason);
    }
}
