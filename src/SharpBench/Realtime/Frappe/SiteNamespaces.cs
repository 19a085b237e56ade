using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SharpBench.Realtime.Sockets;
using SharpBench.Sites;

namespace SharpBench.Realtime.Frappe;

/// <summary>
/// Frappe's realtime layer: one namespace per site (<c>/&lt;site&gt;</c>) with the auth checks of
/// realtime/middlewares/authenticate.js, the automatic rooms, and the client events of realtime/handlers/frappe_handlers.js.
/// </summary>
internal sealed class SiteNamespaces(SiteRegistry sites, IRealtimeAuth auth, IRealtimePermissions permissions, ILogger log)
{
    public const string UserKey = "user";
    public const string SiteKey = "site";

    /// <summary>Every namespace other than the main one is a candidate site; the middleware decides.</summary>
    public NamespaceRoute Route() => new(n => n != "/", AdmitAsync, OnConnection);

    public static RealtimeUser? UserOf(Socket socket) => socket.Data.TryGetValue(UserKey, out var u) ? u as RealtimeUser : null;

    private async Task<ConnectRefusal?> AdmitAsync(Socket socket, JsonNode? _)
    {
        var request = socket.Request;
        var site = RealtimeSiteName.Find(sites, request);
        // Frappe keeps going after this failure and then connects the socket too; we stop here.
        if (site is null || "/" + site.Name != socket.Namespace.Name)
            return new ConnectRefusal("Invalid namespace");
        var origin = RealtimeSiteName.HostName(request.Origin);
        if (origin is null || origin != RealtimeSiteName.HostName(request.Host))
            return new ConnectRefusal("Invalid origin");
        if (request.Cookie is null)
            return new ConnectRefusal("No cookie transmitted.");
        var sid = request.CookieValue("sid");
        if (string.IsNullOrEmpty(sid) && string.IsNullOrEmpty(request.Authorization))
            return new ConnectRefusal("No authentication method used. Use cookie or authorization header.");
        RealtimeUser user;
        try
        {
            user = await auth.AuthenticateAsync(site, sid, request.Authorization);
        }
        catch (RealtimeAuthException e)
        {
            return new ConnectRefusal("Unauthorized: " + e.Message);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            log.LogWarning("Realtime auth for {Site} failed: {Error}", site.Name, e.Message);
            return new ConnectRefusal("Unauthorized: " + e.Message);
        }
        socket.Data[UserKey] = user;
        socket.Data[SiteKey] = site;
        return null;
    }

    private void OnConnection(Socket socket)
    {
        var user = UserOf(socket)!;
        var site = (Site)socket.Data[SiteKey]!;
        socket.Join("user:" + user.User);
        socket.Join("website");
        if (user.IsSystemUser)
            socket.Join("all");

        socket.On("doctype_subscribe", async e =>
        {
            if (e.String(0) is { } dt)
            {
                // Frappe lets an if_owner reader into the whole DocType's room, which tells them of
                // every row; they get a room that hears only about rows they own.
                var access = await Safe(() => permissions.DocTypeReadAccessAsync(site, user.User, dt), Model.Access.None);
                if (access == Model.Access.All)
                    socket.Join("doctype:" + dt);
                else if (access == Model.Access.OwnerOnly)
                    socket.Join(RealtimePublisher.OwnedDocTypeRoom(dt, user.User));
            }
            e.Ack();
        });
        socket.On("doctype_unsubscribe", e =>
        {
            if (e.String(0) is { } dt)
            {
                socket.Leave("doctype:" + dt);
                socket.Leave(RealtimePublisher.OwnedDocTypeRoom(dt, user.User));
            }
            e.Ack();
            return Task.CompletedTask;
        });
        socket.On("doc_subscribe", async e =>
        {
            if (e.String(0) is { } dt && e.String(1) is { } name && await Safe(() => permissions.CanReadDocAsync(site, user.User, dt, name)))
                socket.Join(DocRoom(dt, name));
            e.Ack();
        });
        socket.On("doc_unsubscribe", e =>
        {
            if (e.String(0) is { } dt && e.String(1) is { } name)
                socket.Leave(DocRoom(dt, name));
            e.Ack();
            return Task.CompletedTask;
        });
        socket.On("doc_open", async e =>
        {
            if (e.String(0) is { } dt && e.String(1) is { } name && await Safe(() => permissions.CanReadDocAsync(site, user.User, dt, name)))
            {
                socket.Join(OpenDocRoom(dt, name));
                OpenDocs(socket).Add((dt, name));
                SendViewers(socket, dt, name);
            }
            e.Ack();
        });
        socket.On("doc_close", e =>
        {
            if (e.String(0) is { } dt && e.String(1) is { } name)
            {
                socket.Leave(OpenDocRoom(dt, name));
                // Frappe's filter here drops every remembered doc; we drop only the closed one.
                OpenDocs(socket).Remove((dt, name));
                SendViewers(socket, dt, name);
            }
            e.Ack();
            return Task.CompletedTask;
        });
        Func<SocketEvent, Task> subscribeTask = e =>
        {
            if (e.String(0) is { } id)
                socket.Join("task_progress:" + id);
            e.Ack();
            return Task.CompletedTask;
        };
        socket.On("task_subscribe", subscribeTask);
        socket.On("progress_subscribe", subscribeTask);
        socket.On("task_unsubscribe", e =>
        {
            if (e.String(0) is { } id)
                socket.Leave("task_progress:" + id);
            e.Ack();
            return Task.CompletedTask;
        });
        socket.On("ping", e =>
        {
            socket.Emit("pong");
            e.Ack();
            return Task.CompletedTask;
        });
        socket.Disconnected += (s, _) =>
        {
            foreach (var (dt, name) in OpenDocs(s).ToList())
                SendViewers(s, dt, name);
        };
    }

    private Task<bool> Safe(Func<Task<bool>> check) => Safe(check, false);

    private async Task<T> Safe<T>(Func<Task<T>> check, T refused)
    {
        try
        {
            return await check();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            // Refused subscriptions are silent in Frappe too; keep a trace for the operator.
            log.LogWarning("Realtime permission check failed: {Error}", e.Message);
            return refused;
        }
    }

    public static string DocRoom(string doctype, string name) => $"doc:{doctype}/{name}";

    public static string OpenDocRoom(string doctype, string name) => $"open_doc:{doctype}/{name}";

    private static HashSet<(string, string)> OpenDocs(Socket socket) =>
        (HashSet<(string, string)>)socket.Data.GetOrAdd("open_docs", _ => new HashSet<(string, string)>())!;

    /// <summary>Tells an open document's viewers who is looking, unless the only viewer is the one who acted.</summary>
    private static void SendViewers(Socket socket, string doctype, string name)
    {
        var room = OpenDocRoom(doctype, name);
        var users = socket.Namespace.InRoom(room).Select(s => UserOf(s)?.User).OfType<string>().Distinct().ToList();
        if (users.Count == 1 && users[0] == UserOf(socket)?.User)
            return;
        var message = new JsonObject { ["doctype"] = doctype, ["docname"] = name, ["users"] = new JsonArray([.. users.Select(u => (JsonNode?)u)]) };
        socket.Namespace.EmitJson(room, "doc_viewers", message.ToJsonString());
    }
}
