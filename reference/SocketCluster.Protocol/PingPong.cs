namespace SocketCluster.Protocol;

/// <summary>Application-level ping/pong text frames (never WebSocket control frames, never JSON-encoded).</summary>
public static class PingPong
{
    /// <summary>The v1 ping, "#1".</summary>
    public const string PingV1 = "#1";
    /// <summary>The v1 pong, "#2".</summary>
    public const string PongV1 = "#2";
    /// <summary>The v2 ping, an empty text frame.</summary>
    public const string PingV2 = "";
    /// <summary>The v2 pong, an empty text frame.</summary>
    public const string PongV2 = "";

    /// <summary>The ping frame text for a protocol version (1: "#1", else empty).</summary>
    public static string Ping(int protocolVersion) => protocolVersion == 1 ? PingV1 : PingV2;
    /// <summary>The pong frame text for a protocol version (1: "#2", else empty).</summary>
    public static string Pong(int protocolVersion) => protocolVersion == 1 ? PongV1 : PongV2;

    /// <summary>Checks that a protocol version is 1 or 2 (official protocolVersion).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The version is not 1 or 2.</exception>
    public static void EnsureSupported(int protocolVersion)
    {
        if (protocolVersion is not (1 or 2))
            throw new ArgumentOutOfRangeException(nameof(protocolVersion), protocolVersion, "protocolVersion must be 1 or 2.");
    }
}
