using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using SharpBench.Realtime.Engine;
using SharpBench.Realtime.Publishing;
using SharpBench.Realtime.Sockets;

namespace SharpBench.Realtime;

/// <summary>
/// The realtime role: Engine.IO + Socket.IO under <c>/socket.io/</c>, the main namespace
/// (open, with no handlers, as in Frappe) and whatever routes are added (Frappe's site
/// namespaces), and delivery of published events to the connected clients.
/// </summary>
internal sealed class RealtimeServer
{
    public RealtimeServer(EngineOptions options, ILoggerFactory logs)
    {
        Options = options;
        Sockets = new SocketServer(logs.CreateLogger<SocketServer>()) { Options = options };
        Engine = new EngineServer(options, Sockets);
        Sockets.Route(new NamespaceRoute(n => n == "/", null, null));
    }

    public EngineOptions Options { get; }
    public SocketServer Sockets { get; }
    public EngineServer Engine { get; }

    public void Map(IEndpointRouteBuilder app)
    {
        var path = Options.Path.TrimEnd('/');
        // Routing ignores a trailing slash, so one pattern serves /socket.io and /socket.io/.
        app.Map(path, Engine.HandleAsync);
    }

    /// <summary>
    /// Delivers a published event as Frappe's node server does: to a room of the site's
    /// namespace, or (no room) to every socket of every site. With a <paramref name="batch"/>, the
    /// writes wait for its end.
    /// </summary>
    public int Deliver(RealtimeMessage message, DeliveryBatch? batch = null)
    {
        var json = message.MessageJson;
        if (!string.IsNullOrEmpty(message.Room))
        {
            if (string.IsNullOrEmpty(message.Namespace))
                return 0;
            var nsp = Sockets.Find("/" + message.Namespace);
            return nsp?.EmitJson(message.Room, message.Event, json, batch) ?? 0;
        }
        var count = 0;
        foreach (var nsp in Sockets.Namespaces)
        {
            if (nsp.Name != "/")
                count += nsp.EmitJson(null, message.Event, json, batch);
        }
        return count;
    }

    /// <summary>Ends every connection without a Socket.IO disconnect, so clients reconnect on their own.</summary>
    public void Shutdown() => Engine.CloseAll("server shutting down");
}

internal static class RealtimeApplicationExtensions
{
    /// <summary>WebSockets without a keep-alive of their own: Engine.IO's ping is the heartbeat.</summary>
    public static void UseRealtimeWebSockets(this IApplicationBuilder app) =>
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
}
