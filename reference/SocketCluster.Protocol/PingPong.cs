namespace SocketCluster.Protocol;

/// <summary>Application-level ping/pong text frames (never WebSocket control frames, never JSON-encoded).</summary>
public static class PingPong
{
    public const string PingV1 = "#1";
    public const string PongV1 = "#2";
    public const string PingV2 = "";
    public const string PongV2 = "";

    public static string Ping(int protocolVersion) => protocolVersion == 1 ? PingV1 : PingV2;
    public static string Pong(int protocolVersion) => protocolVersion == 1 ? PongV1 : PongV2;

    public static void EnsureSupported(int protocolVersion)
    {
        if (protocolVersion is not (1 or 2))
            throw new ArgumentOutOfRangeException(nameof(protocolVersion), protocolVersion, "protocolVersion must be 1 or 2.");
    }
}
