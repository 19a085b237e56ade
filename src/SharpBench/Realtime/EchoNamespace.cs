using SharpBench.Realtime.Sockets;

namespace SharpBench.Realtime;

/// <summary>
/// A namespace for protocol conformance tests only (enabled by SHARPBENCH_REALTIME_ECHO=1):
/// Frappe's own events use no acks and no binary, so the generic Socket.IO features need a
/// handler that exercises them. Answers only the client that asked.
/// </summary>
internal static class EchoNamespace
{
    public const string Name = "/sharpbench-echo";

    public static NamespaceRoute Route() => new(n => n == Name,
        (socket, auth) => Task.FromResult(auth?["token"]?.ToString() == "bad"
            ? new ConnectRefusal("Unauthorized", new System.Text.Json.Nodes.JsonObject { ["why"] = "bad token" })
            : null),
        socket =>
        {
            socket.On("echo", e =>
            {
                var args = e.Args.Select(a => SocketArgs.Resolve(a, e.Attachments)).ToArray();
                if (e.WantsAck)
                    e.Ack(args);
                else
                    socket.Emit("echo", args);
                return Task.CompletedTask;
            });
            socket.On("ask_me", e =>
            {
                // Not awaited: the client's ack arrives on this same connection, after this handler returns.
                var question = e.String(0);
                _ = Task.Run(async () =>
                {
                    var answer = await socket.EmitWithAckAsync(TimeSpan.FromSeconds(5), "server_ask", question);
                    socket.Emit("answered", answer.Args.Select(a => SocketArgs.Resolve(a, answer.Attachments)).ToArray());
                });
                return Task.CompletedTask;
            });
            socket.On("disconnect_me", _ =>
            {
                socket.Disconnect();
                return Task.CompletedTask;
            });
        });
}
