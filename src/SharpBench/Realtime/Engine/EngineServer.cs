using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SharpBench.Realtime.Engine;

/// <summary>
/// The Engine.IO v4 endpoint (<c>/socket.io/</c>): handshake, polling GET/POST, WebSocket
/// (direct or upgraded from polling), CORS that echoes the Origin with credentials, and
/// engine.io's JSON errors for bad requests.
/// </summary>
internal sealed class EngineServer(EngineOptions options, IEngineHandler handler)
{
    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new(StringComparer.Ordinal);

    public EngineOptions Options { get; } = options;

    public int SessionCount => _sessions.Count;

    public IEnumerable<EngineSession> Sessions => _sessions.Values;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        AddCors(request, response);
        if (HttpMethods.IsOptions(request.Method))
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            response.Headers.AccessControlAllowMethods = "GET,HEAD,PUT,PATCH,POST,DELETE";
            var asked = request.Headers.AccessControlRequestHeaders;
            if (asked.Count > 0)
                response.Headers.AccessControlAllowHeaders = asked;
            response.Headers.Vary = "Origin, Access-Control-Request-Headers";
            return;
        }
        var query = request.Query;
        var transport = query["transport"].ToString();
        if (transport is not ("polling" or "websocket"))
        {
            await ErrorAsync(context, EngineError.UnknownTransport);
            return;
        }
        var sid = query["sid"].ToString();
        if (sid.Length > 0)
        {
            await HandleSessionRequestAsync(context, sid, transport);
            return;
        }
        if (!HttpMethods.IsGet(request.Method))
        {
            await ErrorAsync(context, EngineError.BadHandshakeMethod);
            return;
        }
        if (query["EIO"].ToString() != "4")
        {
            await ErrorAsync(context, EngineError.UnsupportedProtocol);
            return;
        }
        if (transport == "websocket")
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await ErrorAsync(context, EngineError.BadRequest);
                return;
            }
            var session = Open(context, EngineTransport.WebSocket);
            var (ws, stream) = await WebSocketAccept.AcceptAsync(context);
            using (ws)
                await session.RunWebSocketAsync(ws, stream);
            return;
        }
        var polling = Open(context, EngineTransport.Polling);
        polling.Start();
        await WritePollingAsync(response, polling.OpenPacket(canUpgrade: true));
    }

    private EngineSession Open(HttpContext context, EngineTransport transport)
    {
        var session = new EngineSession(SessionIds.Next(), HandshakeRequest.From(context.Request), transport, Options, handler, Remove);
        _sessions[session.Id] = session;
        return session;
    }

    private void Remove(EngineSession session) => _sessions.TryRemove(new KeyValuePair<string, EngineSession>(session.Id, session));

    private async Task HandleSessionRequestAsync(HttpContext context, string sid, string transport)
    {
        if (!_sessions.TryGetValue(sid, out var session) || session.IsClosed)
        {
            await ErrorAsync(context, EngineError.UnknownSid);
            return;
        }
        var request = context.Request;
        if (transport == "websocket")
        {
            // Only a polling session may upgrade, once.
            if (!context.WebSockets.IsWebSocketRequest || session.Transport != EngineTransport.Polling || session.IsUpgrading)
            {
                await ErrorAsync(context, EngineError.BadRequest);
                return;
            }
            var (ws, stream) = await WebSocketAccept.AcceptAsync(context);
            using (ws)
                await session.RunUpgradeAsync(ws, stream);
            return;
        }
        if (session.Transport != EngineTransport.Polling)
        {
            await ErrorAsync(context, EngineError.BadRequest);
            return;
        }
        if (HttpMethods.IsGet(request.Method))
            await PollAsync(context, session);
        else if (HttpMethods.IsPost(request.Method))
            await PostAsync(context, session);
        else
            await ErrorAsync(context, EngineError.BadRequest);
    }

    private static async Task PollAsync(HttpContext context, EngineSession session)
    {
        var (result, batch) = await session.PollAsync(context.RequestAborted);
        if (result == PollingTransport.PollResult.Overlap)
        {
            await ErrorAsync(context, EngineError.BadRequest);
            return;
        }
        if (batch is null)
            return;
        try
        {
            var body = batch.Count == 1 ? batch[0].ForPolling : string.Join('\x1e', batch.Select(p => p.ForPolling));
            await WritePollingAsync(context.Response, body);
        }
        finally
        {
            session.PollDone();
        }
    }

    private async Task PostAsync(HttpContext context, EngineSession session)
    {
        var request = context.Request;
        if (request.ContentLength > Options.MaxPayload)
        {
            await TooLargeAsync(context, session);
            return;
        }
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > Options.MaxPayload)
            {
                await TooLargeAsync(context, session);
                return;
            }
            buffer.Write(chunk, 0, read);
        }
        string payload;
        try
        {
            payload = new UTF8Encoding(false, true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            session.Close("parse error");
            await ErrorAsync(context, EngineError.BadRequest);
            return;
        }
        foreach (var packet in payload.Split('\x1e'))
        {
            var ok = true;
            if (packet.StartsWith('b'))
            {
                var data = DecodeBase64(packet.AsSpan(1));
                if (data is null)
                {
                    session.Close("parse error");
                    ok = false;
                }
                else
                {
                    ok = await session.ReceiveBinaryAsync(data);
                }
            }
            else
            {
                ok = await session.ReceiveTextAsync(packet);
            }
            if (!ok)
            {
                await ErrorAsync(context, EngineError.BadRequest);
                return;
            }
        }
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync("ok");
    }

    private static byte[]? DecodeBase64(ReadOnlySpan<char> text)
    {
        var bytes = new byte[text.Length * 3 / 4 + 3];
        return Convert.TryFromBase64Chars(text, bytes, out var written) ? bytes[..written] : null;
    }

    private static async Task TooLargeAsync(HttpContext context, EngineSession session)
    {
        session.Close("transport error");
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.Headers.Connection = "close";
        await context.Response.CompleteAsync();
    }

    private static Task WritePollingAsync(HttpResponse response, string body)
    {
        response.ContentType = "text/plain; charset=UTF-8";
        response.Headers.CacheControl = "no-store";
        return response.WriteAsync(body);
    }

    private static void AddCors(HttpRequest request, HttpResponse response)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return;
        // Credentials forbid "*": reflect the caller's origin, as Frappe's cors {origin: true} does.
        response.Headers.AccessControlAllowOrigin = origin;
        response.Headers.AccessControlAllowCredentials = "true";
        response.Headers.Vary = "Origin";
    }

    private static Task ErrorAsync(HttpContext context, EngineError error)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("{\"code\":" + error.Code + ",\"message\":\"" + error.Message + "\"}");
    }

    /// <summary>Closes every session without a Socket.IO disconnect, so clients reconnect (to another replica).</summary>
    public void CloseAll(string reason)
    {
        foreach (var session in _sessions.Values)
            session.Close(reason, System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable);
    }
}
