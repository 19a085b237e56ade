using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SharpBench.Realtime.Engine;

namespace SharpBench.Realtime.Sockets;

/// <summary>
/// Socket.IO v5 over Engine.IO: namespaces chosen by <see cref="NamespaceRoute"/>s, CONNECT with
/// middleware (refused once, cleanly, with CONNECT_ERROR), events, acks and binary attachments.
/// </summary>
internal sealed class SocketServer(ILogger<SocketServer> log) : IEngineHandler
{
    private readonly List<NamespaceRoute> _routes = [];
    private readonly ConcurrentDictionary<string, Namespace> _namespaces = new(StringComparer.Ordinal);

    public EngineOptions Options { get; set; } = new();

    /// <summary>Routes are tried in order; the first whose rule matches the name serves it.</summary>
    public void Route(NamespaceRoute route)
    {
        lock (_routes)
            _routes.Add(route);
    }

    public Namespace? Find(string nsp) => _namespaces.TryGetValue(nsp, out var n) ? n : null;

    public IEnumerable<Namespace> Namespaces => _namespaces.Values;

    void IEngineHandler.OnOpen(EngineSession session)
    {
        var client = new SocketClient(this, session);
        session.State = client;
        _ = DropIfIdleAsync(client);
    }

    private async Task DropIfIdleAsync(SocketClient client)
    {
        try
        {
            await Task.Delay(Options.ConnectTimeout, client.Engine.ClosedToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (client.Count == 0)
            client.Engine.Close("connect timeout");
    }

    Task IEngineHandler.OnMessageAsync(EngineSession session, string text) =>
        session.State is SocketClient c ? c.OnTextAsync(text) : Task.CompletedTask;

    Task IEngineHandler.OnBinaryAsync(EngineSession session, byte[] data) =>
        session.State is SocketClient c ? c.OnBinaryAsync(data) : Task.CompletedTask;

    void IEngineHandler.OnClose(EngineSession session, string reason)
    {
        if (session.State is SocketClient c)
            c.OnClose(reason);
    }

    internal async Task ConnectAsync(SocketClient client, SocketPacket packet)
    {
        var name = packet.Namespace;
        NamespaceRoute? route;
        lock (_routes)
            route = _routes.FirstOrDefault(r => r.Matches(name));
        if (route is null)
        {
            Refuse(client, name, new ConnectRefusal("Invalid namespace"));
            return;
        }
        var nsp = _namespaces.GetOrAdd(name, n => new Namespace(n));
        var socket = new Socket(SessionIds.Next(), nsp, client.Engine);
        ConnectRefusal? refusal;
        try
        {
            refusal = await route.AdmitAsync(socket, packet.Data);
        }
        catch (Exception e)
        {
            log.LogError(e, "Namespace middleware for {Namespace} failed", name);
            refusal = new ConnectRefusal("Internal error");
        }
        if (refusal is not null)
        {
            Refuse(client, name, refusal);
            return;
        }
        if (client.Engine.IsClosed)
            return;
        nsp.Add(socket);
        client.Add(socket);
        client.Engine.Send(OutPacket.Message(SocketPacket.Encode(SocketPacketType.Connect, name, null,
            "{\"sid\":" + JsonSerializer.Serialize(socket.Id) + "}")));
        try
        {
            route.OnConnection(socket);
        }
        catch (Exception e)
        {
            log.LogError(e, "Connection handler for {Namespace} failed", name);
        }
    }

    private static void Refuse(SocketClient client, string nsp, ConnectRefusal refusal)
    {
        var body = new JsonObject { ["message"] = refusal.Message };
        if (refusal.Data is not null)
            body["data"] = refusal.Data.DeepClone();
        client.Engine.Send(OutPacket.Message(SocketPacket.Encode(SocketPacketType.ConnectError, nsp, null, body.ToJsonString())));
    }
}
