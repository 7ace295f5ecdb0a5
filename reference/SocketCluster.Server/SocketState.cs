namespace SocketCluster.Server;

/// <summary>A server socket's connection state; it only moves forward: Connecting → Open → Closed, or Connecting → Closed.</summary>
public enum SocketState
{
    /// <summary>Official 'connecting': in the handshake.</summary>
    Connecting,
    /// <summary>Official 'open': the handshake completed.</summary>
    Open,
    /// <summary>Official 'closed'.</summary>
    Closed,
}

/// <summary>A server socket's authentication state.</summary>
public enum AuthState
{
    /// <summary>Official 'unauthenticated'.</summary>
    Unauthenticated,
    /// <summary>Official 'authenticated': the socket holds a valid token.</summary>
    Authenticated,
}

/// <summary>The official string forms ('connecting', 'open', 'closed', 'authenticated', 'unauthenticated').</summary>
public static class SocketStateNames
{
    /// <summary>The official string: 'connecting', 'open' or 'closed'.</summary>
    public static string ToWire(this SocketState state) => state switch
    {
        SocketState.Connecting => "connecting",
        SocketState.Open => "open",
        _ => "closed",
    };

    /// <summary>The official string: 'authenticated' or 'unauthenticated'.</summary>
    public static string ToWire(this AuthState state) =>
        state == AuthState.Authenticated ? "authenticated" : "unauthenticated";
}
