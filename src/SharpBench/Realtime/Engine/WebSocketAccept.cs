using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SharpBench.Realtime.Engine;

/// <summary>
/// Accepts a WebSocket (already validated by ASP.NET Core's <c>IsWebSocketRequest</c>) with the
/// handshake done here instead of by <c>AcceptWebSocketAsync</c>, so the session keeps the upgraded
/// stream and can write a batch of prepared frames to it in one write.
/// </summary>
internal static class WebSocketAccept
{
    // RFC 6455 §1.3: the key the client sent plus this GUID, SHA-1 hashed, proves the server read it.
    private const string HandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static async Task<(WebSocket Socket, WebSocketStream Stream)> AcceptAsync(HttpContext context)
    {
        Stream upgraded;
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            var headers = context.Response.Headers;
            headers.Connection = "Upgrade";
            headers.Upgrade = "websocket";
            headers.SecWebSocketAccept = AcceptKey(context.Request.Headers.SecWebSocketKey.ToString());
            upgraded = await upgrade.UpgradeAsync();
        }
        else if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            upgraded = await connect.AcceptAsync();
        }
        else
        {
            throw new InvalidOperationException("Not a WebSocket request.");
        }
        var stream = new WebSocketStream(upgraded);
        // No keep-alive of its own: Engine.IO's ping is the heartbeat.
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        return (socket, stream);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "The WebSocket handshake (RFC 6455) prescribes SHA-1; it is not used for security here.")]
    private static string AcceptKey(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + HandshakeGuid)));
}
