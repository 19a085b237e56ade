namespace SharpBench.Realtime.Engine;

/// <summary>Engine.IO server settings; the defaults are socket.io 4.7's, which Frappe keeps.</summary>
internal sealed class EngineOptions
{
    public string Path { get; set; } = "/socket.io";
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromMilliseconds(25000);
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromMilliseconds(20000);
    public TimeSpan UpgradeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A session that joins no namespace within this time is dropped (socket.io's connectTimeout).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Largest polling POST body or WebSocket message, in bytes (maxHttpBufferSize).</summary>
    public int MaxPayload { get; set; } = 1_000_000;
}
