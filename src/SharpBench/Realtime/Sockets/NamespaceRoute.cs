using System.Text.Json.Nodes;

namespace SharpBench.Realtime.Sockets;

/// <summary>Why a namespace CONNECT was refused: sent to the client as <c>44/nsp,{"message",…,"data"}</c>.</summary>
internal sealed record ConnectRefusal(string Message, JsonNode? Data = null);

/// <summary>
/// Which namespace names a handler serves (a fixed name, or a rule such as "any site"), the
/// middleware that admits or refuses each CONNECT, and what runs once a socket is connected.
/// </summary>
internal sealed class NamespaceRoute(Func<string, bool> matches, Func<Socket, JsonNode?, Task<ConnectRefusal?>>? admit, Action<Socket>? onConnection)
{
    public bool Matches(string nsp) => matches(nsp);

    public Task<ConnectRefusal?> AdmitAsync(Socket socket, JsonNode? auth) =>
        admit is null ? Task.FromResult<ConnectRefusal?>(null) : admit(socket, auth);

    public void OnConnection(Socket socket) => onConnection?.Invoke(socket);
}
